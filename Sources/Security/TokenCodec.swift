import Foundation
import JSON

/// Issues and verifies compact JWTs signed with HS256 (HMAC-SHA-256), wire
/// compatible with PyJWT: a token from `jwt.encode(claims, secret,
/// algorithm="HS256")` verifies here, and the reverse.
///
/// Only HS256 is accepted; the header's `alg` is checked against that list
/// before anything else, so `none`, RS256 key-confusion and HS512 downgrade
/// tricks all fail the same way.
public struct TokenCodec: Sendable {
    /// Longer inputs are refused unread: real tokens are a few hundred bytes,
    /// and the limit bounds the work an attacker can make us do.
    public static let maximumTokenLength = 8 * 1024
    public static let allowedAlgorithms: Set<String> = ["HS256"]

    private let key: HMACSHA256.Key
    private let verified: VerifiedTokens
    private let leeway: TimeInterval
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - secret: the HMAC key; at least 32 random bytes is advisable.
    ///   - leeway: clock skew tolerated for `exp`, `nbf` and `iat` between
    ///     the instances that issue and verify.
    ///   - clock: the current time; tests inject a fixed one.
    ///   - verifiedCapacity: how many verified tokens to remember, so that the next use of one
    ///     checks only its type and dates (0: verify every use in full).
    public init(
        secret: [UInt8], leeway: Duration = .seconds(30),
        clock: @escaping @Sendable () -> Date = { Date() }, verifiedCapacity: Int = 1024
    ) throws(TokenError) {
        guard !secret.isEmpty else { throw .emptySecret }
        guard let key = HMACSHA256.Key(secret) else { throw .cryptographyFailure }
        self.key = key
        self.verified = VerifiedTokens(capacity: verifiedCapacity)
        self.leeway = leeway.timeInterval
        self.now = clock
    }

    /// The secret as its UTF-8 bytes, the way PyJWT treats a `str` key.
    public init(
        secret: String, leeway: Duration = .seconds(30),
        clock: @escaping @Sendable () -> Date = { Date() }, verifiedCapacity: Int = 1024
    ) throws(TokenError) {
        try self.init(secret: Array(secret.utf8), leeway: leeway, clock: clock, verifiedCapacity: verifiedCapacity)
    }

    /// Issues a token valid from now for `lifetime`, with a fresh random
    /// 128-bit `jti`.
    public func issue(
        subject: String, type: TokenType, lifetime: Duration,
        extra: [String: String] = [:]
    ) throws(TokenError) -> String {
        // Whole seconds, so the claims a caller keeps equal those verified later.
        let issuedAt = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        let id: String
        do { id = try SecureRandom.hexToken(byteCount: 16) } catch { throw .cryptographyFailure }
        let claims = TokenClaims(
            subject: subject, type: type,
            expiresAt: issuedAt.addingTimeInterval(lifetime.timeInterval),
            issuedAt: issuedAt, notBefore: issuedAt, id: id, extra: extra)
        return try sign(claims)
    }

    /// Signs exactly the given claims; for callers that need control over
    /// every date (and for tests).
    public func sign(_ claims: TokenClaims) throws(TokenError) -> String {
        if let reserved = claims.extra.keys.sorted().first(where: TokenClaims.registeredNames.contains) {
            throw .reservedClaim(reserved)
        }
        for (name, date) in [("exp", claims.expiresAt), ("iat", claims.issuedAt), ("nbf", claims.notBefore)]
        where !TokenPayload.representableSeconds(date) {
            throw .invalidClaim(name)
        }
        let encoder = JSONEncoder()
        // Sorted keys make equal claims produce byte-identical tokens.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload: Data
        do { payload = try encoder.encode(TokenPayload(claims)) } catch { throw .invalidClaim("payload") }
        let signingInput = TokenHeader.encodedHS256 + "." + Base64URL.encode(payload)
        guard let signature = key.authenticate(signingInput.utf8) else {
            throw .cryptographyFailure
        }
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Verifies signature, dates and type, and returns the claims.
    ///
    /// The payload is parsed only after the signature matched, so nothing an
    /// attacker writes there reaches the JSON decoder unauthenticated.
    public func verify(_ token: String, as expectedType: TokenType) throws(TokenError) -> TokenClaims {
        let byteCount = token.utf8.count
        guard byteCount <= Self.maximumTokenLength else {
            throw .tooLarge(byteCount: byteCount, limit: Self.maximumTokenLength)
        }
        // A token that verified before: only what depends on the time and the use, in the order
        // the full check below runs them.
        if let claims = verified.lookup(token) {
            guard claims.type == expectedType else { throw .wrongType(expected: expectedType, found: claims.type) }
            try checkDates(claims)
            return claims
        }
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .wrongSegmentCount(segments.count) }
        let headerText = segments[0]
        let payloadText = segments[1]
        let signatureText = segments[2]

        // Every token this codec issues carries the same header text, known to be HS256 without
        // `crit`: it is not parsed again (Foundation's JSON decoder on it was 2% of an
        // authenticated request). Any other header text is decoded and checked.
        if !headerText.elementsEqual(TokenHeader.encodedHS256.utf8) {
            let header = try decode(TokenHeader.self, from: headerText, segment: .header)
            guard let algorithm = header.algorithm, Self.allowedAlgorithms.contains(algorithm) else {
                throw .unsupportedAlgorithm(header.algorithm)
            }
            guard !header.hasCriticalExtensions else { throw .unsupportedCriticalHeader }
        }

        guard let signature = Base64URL.decode(Substring(signatureText)) else { throw .invalidBase64(.signature) }
        let signingInput = token.utf8[headerText.startIndex..<payloadText.endIndex]
        guard let expected = key.authenticate(signingInput) else { throw .cryptographyFailure }
        guard ConstantTime.equal(signature, expected) else { throw .invalidSignature }

        let payload = try decodePayload(payloadText)
        let claims = try validatedClaims(payload)
        verified.insert(token, claims)
        guard claims.type == expectedType else { throw .wrongType(expected: expectedType, found: claims.type) }
        try checkDates(claims)
        return claims
    }

    private func decode<Value: Decodable>(
        _ type: Value.Type, from text: Substring.UTF8View, segment: TokenSegment
    ) throws(TokenError) -> Value {
        guard let json = Base64URL.decode(Substring(text)) else { throw .invalidBase64(segment) }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(json))
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw .notAnObject(segment)
        } catch DecodingError.valueNotFound(_, let context) where context.codingPath.isEmpty {
            // A bare `null` is reported as a missing value rather than a type mismatch.
            throw .notAnObject(segment)
        } catch {
            throw .invalidJSON(segment)
        }
    }

    private func decodePayload(_ text: Substring.UTF8View) throws(TokenError) -> TokenPayload {
        guard let json = Base64URL.decode(Substring(text)) else { throw .invalidBase64(.payload) }
        let value: JSONValue
        do { value = try JSONParser.parse(json) } catch { throw .invalidJSON(.payload) }
        guard case .object(let object) = value else { throw .notAnObject(.payload) }
        return TokenPayload(json: object)
    }

    private func validatedClaims(_ payload: TokenPayload) throws(TokenError) -> TokenClaims {
        if let invalid = payload.invalidClaims.first { throw .invalidClaim(invalid) }
        guard let subject = payload.subject else { throw .missingClaim("sub") }
        guard !subject.isEmpty else { throw .invalidClaim("sub") }
        guard let type = payload.type else { throw .missingClaim("typ") }
        guard let expiresAt = payload.expiresAt else { throw .missingClaim("exp") }
        return TokenClaims(
            subject: subject, type: TokenType(type),
            expiresAt: Date(timeIntervalSince1970: expiresAt),
            issuedAt: payload.issuedAt.map(Date.init(timeIntervalSince1970:)),
            notBefore: payload.notBefore.map(Date.init(timeIntervalSince1970:)),
            id: payload.id, extra: payload.extra)
    }

    private func checkDates(_ claims: TokenClaims) throws(TokenError) {
        let now = now().timeIntervalSince1970
        // Same boundaries as PyJWT: expired once now >= exp (+ leeway).
        if claims.expiresAt.timeIntervalSince1970 <= now - leeway { throw .expired(at: claims.expiresAt) }
        if let notBefore = claims.notBefore, notBefore.timeIntervalSince1970 > now + leeway {
            throw .notYetValid(until: notBefore)
        }
        if let issuedAt = claims.issuedAt, issuedAt.timeIntervalSince1970 > now + leeway {
            throw .issuedInFuture(at: issuedAt)
        }
    }
}

extension Duration {
    fileprivate var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
