import Foundation
import Synchronization
import Testing

@testable import Security

/// Times around the PyJWT fixture: iat/nbf 1767225600, exp 1767229200.
private let fixtureSecret = "changethis-please-use-a-long-random-secret"
private let insideLifetime = Date(timeIntervalSince1970: 1_767_226_000)

private func codec(at date: Date = insideLifetime, secret: String = fixtureSecret) throws -> TokenCodec {
    try TokenCodec(secret: secret, leeway: .seconds(30), clock: { date })
}

/// Builds a token from raw header and payload text, signed correctly, so
/// tests reach the checks that come after the signature.
private func signedToken(header: String, payload: String, secret: String = fixtureSecret) -> String {
    let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
    let signature = HMACSHA256.authenticate(input.utf8, key: Array(secret.utf8))!
    return input + "." + Base64URL.encode(signature)
}

private let hs256Header = #"{"alg":"HS256","typ":"JWT"}"#

private func expectError(
    _ expected: TokenError, verifying token: String, as type: TokenType = .access,
    with codec: TokenCodec, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(throws: expected, sourceLocation: sourceLocation) { try codec.verify(token, as: type) }
}

@Suite struct TokenCodecTests {
    @Test func issuedTokenRoundTrips() throws {
        let codec = try codec()
        let token = try codec.issue(subject: "user-1", type: .access, lifetime: .seconds(900), extra: ["scope": "items:read"])
        #expect(token.split(separator: ".").count == 3)
        #expect(!token.contains("="))
        let claims = try codec.verify(token, as: .access)
        #expect(claims.subject == "user-1")
        #expect(claims.type == .access)
        #expect(claims.issuedAt == Date(timeIntervalSince1970: 1_767_226_000))
        #expect(claims.notBefore == claims.issuedAt)
        #expect(claims.expiresAt == Date(timeIntervalSince1970: 1_767_226_900))
        #expect(claims.extra == ["scope": "items:read"])
        let id = try #require(claims.id)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
    }

    @Test func issuedTokensHaveDistinctIDs() throws {
        let codec = try codec()
        let first = try codec.verify(try codec.issue(subject: "u", type: .refresh, lifetime: .seconds(60)), as: .refresh)
        let second = try codec.verify(try codec.issue(subject: "u", type: .refresh, lifetime: .seconds(60)), as: .refresh)
        #expect(first.id != second.id)
    }

    @Test func signedClaimsRoundTripExactly() throws {
        let claims = TokenClaims(
            subject: "42", type: .passwordReset, expiresAt: Date(timeIntervalSince1970: 1_767_229_200),
            issuedAt: Date(timeIntervalSince1970: 1_767_225_600), notBefore: nil, id: "abc",
            extra: ["email": "a/b@example.com", "ünï": "cödé \"quoted\""])
        let codec = try codec()
        #expect(try codec.verify(try codec.sign(claims), as: .passwordReset) == claims)
    }

    @Test func pyJWTTokenVerifies() throws {
        // jwt.encode({"sub": "5f0c...", "exp": 1767229200, "iat": 1767225600, "nbf": 1767225600,
        //             "typ": "access", "jti": "9b2f...", "scope": "items:read"}, secret, algorithm="HS256")
        // with PyJWT 2.15.1.
        let token =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1ZjBjMWQyZS0zYTRiLTRjNWQtOGU5Zi0wYTFiMmMzZDRlNWYiLCJleHAiOjE3NjcyMjkyMDAsImlhdCI6MTc2NzIyNTYwMCwibmJmIjoxNzY3MjI1NjAwLCJ0eXAiOiJhY2Nlc3MiLCJqdGkiOiI5YjJmNGMxYTdkM2U0ZjVhOGI2YzBkMWUyZjNhNGI1YyIsInNjb3BlIjoiaXRlbXM6cmVhZCJ9.YS3dJ6nncnkFOfZTncW1gTEodXyj-cNJDgcEbZ3Ovlg"
        let claims = try codec().verify(token, as: .access)
        #expect(
            claims
                == TokenClaims(
                    subject: "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", type: .access,
                    expiresAt: Date(timeIntervalSince1970: 1_767_229_200),
                    issuedAt: Date(timeIntervalSince1970: 1_767_225_600),
                    notBefore: Date(timeIntervalSince1970: 1_767_225_600),
                    id: "9b2f4c1a7d3e4f5a8b6c0d1e2f3a4b5c", extra: ["scope": "items:read"]))
    }

    @Test func pyJWTMinimalTokenVerifies() throws {
        // jwt.encode({"exp": 1767229200, "sub": "42", "typ": "access"}, secret, algorithm="HS256"):
        // the FastAPI template's shape, without iat, nbf or jti.
        let token =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3NjcyMjkyMDAsInN1YiI6IjQyIiwidHlwIjoiYWNjZXNzIn0.0SFeXZJJIpvXOPNDpvc0HB7tiKXbpaDDuSrMF1UlBK0"
        let claims = try codec().verify(token, as: .access)
        #expect(claims.subject == "42")
        #expect(claims.issuedAt == nil && claims.notBefore == nil && claims.id == nil)
    }

    @Test func pyJWTHS512TokenIsRefused() throws {
        let token =
            "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1ZjBjMWQyZS0zYTRiLTRjNWQtOGU5Zi0wYTFiMmMzZDRlNWYiLCJleHAiOjE3NjcyMjkyMDAsImlhdCI6MTc2NzIyNTYwMCwibmJmIjoxNzY3MjI1NjAwLCJ0eXAiOiJhY2Nlc3MiLCJqdGkiOiI5YjJmNGMxYTdkM2U0ZjVhOGI2YzBkMWUyZjNhNGI1YyIsInNjb3BlIjoiaXRlbXM6cmVhZCJ9.5CZP2NprBX_QfXsXZOkPog0cUV8w_G-lgtBqVeoW7J39ilDxHNYss5zIbHoFJAtBf5jozuencp2eZrxLpEBupg"
        expectError(.unsupportedAlgorithm("HS512"), verifying: token, with: try codec())
    }

    @Test func tamperedPayloadIsRefused() throws {
        let codec = try codec()
        let token = try codec.issue(subject: "user-1", type: .access, lifetime: .seconds(900))
        let parts = token.split(separator: ".").map(String.init)
        let forged = #"{"sub":"admin","typ":"access","exp":1999999999}"#
        let tampered = parts[0] + "." + Base64URL.encode(Array(forged.utf8)) + "." + parts[2]
        expectError(.invalidSignature, verifying: tampered, with: codec)
    }

    @Test func tamperedSignatureIsRefused() throws {
        let codec = try codec()
        let token = try codec.issue(subject: "user-1", type: .access, lifetime: .seconds(900))
        var parts = token.split(separator: ".").map(String.init)
        var signature = Base64URL.decode(parts[2])!
        signature[0] ^= 0x01
        parts[2] = Base64URL.encode(signature)
        expectError(.invalidSignature, verifying: parts.joined(separator: "."), with: codec)
        // A truncated signature is a wrong signature too, not a crash.
        parts[2] = String(parts[2].dropLast(3))
        expectError(.invalidSignature, verifying: parts.joined(separator: "."), with: codec)
    }

    @Test func signatureWithNonCanonicalTrailingBitsIsRefused() throws {
        let codec = try codec()
        let token = try codec.issue(subject: "user-1", type: .access, lifetime: .seconds(900))
        // 32 bytes → 43 characters; the last one carries 2 unused bits.
        // Flipping only those must not yield a second valid spelling.
        var characters = Array(token)
        let last = characters.removeLast()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let index = alphabet.firstIndex(of: last)!
        characters.append(alphabet[index ^ 0x01])
        expectError(.invalidBase64(.signature), verifying: String(characters), with: codec)
    }

    @Test func wrongSecretIsRefused() throws {
        let token = try codec(secret: "another-secret").issue(subject: "user-1", type: .access, lifetime: .seconds(900))
        expectError(.invalidSignature, verifying: token, with: try codec())
    }

    @Test func emptySecretIsRefused() {
        #expect(throws: TokenError.emptySecret) { try TokenCodec(secret: "") }
        #expect(throws: TokenError.emptySecret) { try TokenCodec(secret: [UInt8]()) }
    }

    @Test func algNoneIsRefused() throws {
        let payload = #"{"sub":"admin","typ":"access","exp":1999999999}"#
        let unsigned =
            Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + Base64URL.encode(Array(payload.utf8)) + "."
        expectError(.unsupportedAlgorithm("none"), verifying: unsigned, with: try codec())
        // Even with an HMAC attached, "none" never selects verification.
        expectError(
            .unsupportedAlgorithm("none"),
            verifying: signedToken(header: #"{"alg":"none"}"#, payload: payload), with: try codec())
    }

    @Test(arguments: ["HS512", "HS384", "RS256", "ES256", "hs256", "PS256"])
    func otherAlgorithmsAreRefused(algorithm: String) throws {
        let token = signedToken(
            header: #"{"alg":"\#(algorithm)","typ":"JWT"}"#,
            payload: #"{"sub":"u","typ":"access","exp":1999999999}"#)
        expectError(.unsupportedAlgorithm(algorithm), verifying: token, with: try codec())
    }

    @Test func headerWithoutStringAlgIsRefused() throws {
        let payload = #"{"sub":"u","typ":"access","exp":1999999999}"#
        expectError(.unsupportedAlgorithm(nil), verifying: signedToken(header: #"{"typ":"JWT"}"#, payload: payload), with: try codec())
        expectError(.unsupportedAlgorithm(nil), verifying: signedToken(header: #"{"alg":256}"#, payload: payload), with: try codec())
    }

    @Test func criticalHeaderIsRefused() throws {
        let token = signedToken(
            header: #"{"alg":"HS256","crit":["b64"],"b64":false}"#,
            payload: #"{"sub":"u","typ":"access","exp":1999999999}"#)
        expectError(.unsupportedCriticalHeader, verifying: token, with: try codec())
    }

    @Test func expiredTokenIsRefused() throws {
        let issued = try codec(at: Date(timeIntervalSince1970: 1_767_000_000))
            .issue(subject: "u", type: .access, lifetime: .seconds(60))
        expectError(.expired(at: Date(timeIntervalSince1970: 1_767_000_060)), verifying: issued, with: try codec())
    }

    @Test func expiryHonoursLeewayBoundary() throws {
        let token = signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1000}"#)
        // Leeway 30 s: valid strictly before exp + 30, expired from then on.
        #expect(try codec(at: Date(timeIntervalSince1970: 1029)).verify(token, as: .access).subject == "u")
        expectError(
            .expired(at: Date(timeIntervalSince1970: 1000)), verifying: token,
            with: try codec(at: Date(timeIntervalSince1970: 1030)))
    }

    @Test func notBeforeInFutureIsRefused() throws {
        let token = signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1767239200,"nbf":1767230000}"#)
        expectError(.notYetValid(until: Date(timeIntervalSince1970: 1_767_230_000)), verifying: token, with: try codec())
        // Once the clock reaches nbf the same token is fine.
        #expect(throws: Never.self) { try codec(at: Date(timeIntervalSince1970: 1_767_230_000)).verify(token, as: .access) }
    }

    @Test func issuedInFutureBeyondLeewayIsRefused() throws {
        let now = insideLifetime.timeIntervalSince1970
        let withinSkew = signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1767239200,"iat":\#(Int(now) + 20)}"#)
        #expect(throws: Never.self) { try codec().verify(withinSkew, as: .access) }
        let beyond = signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1767239200,"iat":\#(Int(now) + 600)}"#)
        expectError(.issuedInFuture(at: Date(timeIntervalSince1970: now + 600)), verifying: beyond, with: try codec())
    }

    @Test func wrongTypeIsRefused() throws {
        let codec = try codec()
        let refresh = try codec.issue(subject: "u", type: .refresh, lifetime: .seconds(60))
        expectError(.wrongType(expected: .access, found: .refresh), verifying: refresh, as: .access, with: codec)
        let reset = try codec.issue(subject: "u", type: .passwordReset, lifetime: .seconds(60))
        expectError(.wrongType(expected: .refresh, found: .passwordReset), verifying: reset, as: .refresh, with: codec)
    }

    @Test func missingClaimsAreRefused() throws {
        let codec = try codec()
        expectError(
            .missingClaim("sub"), verifying: signedToken(header: hs256Header, payload: #"{"typ":"access","exp":1767239200}"#), with: codec)
        expectError(
            .missingClaim("typ"), verifying: signedToken(header: hs256Header, payload: #"{"sub":"u","exp":1767239200}"#), with: codec)
        expectError(.missingClaim("exp"), verifying: signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access"}"#), with: codec)
    }

    @Test func claimsOfWrongTypeAreRefused() throws {
        let codec = try codec()
        expectError(
            .invalidClaim("sub"), verifying: signedToken(header: hs256Header, payload: #"{"sub":42,"typ":"access","exp":1767239200}"#),
            with: codec)
        expectError(
            .invalidClaim("sub"), verifying: signedToken(header: hs256Header, payload: #"{"sub":"","typ":"access","exp":1767239200}"#),
            with: codec)
        expectError(
            .invalidClaim("exp"), verifying: signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":"1767239200"}"#),
            with: codec)
        expectError(
            .invalidClaim("exp"), verifying: signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":true}"#),
            with: codec)
        expectError(
            .invalidClaim("nbf"),
            verifying: signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1767239200,"nbf":null}"#), with: codec)
    }

    @Test func nonStringExtraClaimsAreDropped() throws {
        let token = signedToken(
            header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1767239200,"roles":["a"],"n":1,"iss":"api"}"#)
        #expect(try codec().verify(token, as: .access).extra == ["iss": "api"])
    }

    @Test func aRepeatedClaimCountsByItsLastValue() throws {
        let repeated = signedToken(
            header: hs256Header, payload: #"{"sub":42,"sub":"u","typ":"access","exp":1767239200,"iss":"a","iss":"b","n":"x","n":1}"#)
        let claims = try codec().verify(repeated, as: .access)
        #expect(claims.subject == "u")
        #expect(claims.extra == ["iss": "b"])
        expectError(
            .invalidClaim("exp"),
            verifying: signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1767239200,"exp":"soon"}"#),
            with: try codec())
        // Fractions and exponents are NumericDates too.
        let fractional = signedToken(header: hs256Header, payload: #"{"sub":"u","typ":"access","exp":1.7672392e9}"#)
        #expect(try codec().verify(fractional, as: .access).expiresAt.timeIntervalSince1970 == 1_767_239_200)
    }

    @Test func issuingRefusesReservedExtraClaims() throws {
        #expect(throws: TokenError.reservedClaim("sub")) {
            try codec().issue(subject: "u", type: .access, lifetime: .seconds(60), extra: ["sub": "admin"])
        }
        var claims = TokenClaims(subject: "u", type: .access, expiresAt: .distantFuture)
        claims.expiresAt = Date(timeIntervalSince1970: .infinity)
        #expect(throws: TokenError.invalidClaim("exp")) { try codec().sign(claims) }
    }

    @Test func malformedInputsGiveTypedErrors() throws {
        let codec = try codec()
        let header = Base64URL.encode(Array(hs256Header.utf8))
        expectError(.wrongSegmentCount(1), verifying: "", with: codec)
        expectError(.wrongSegmentCount(1), verifying: "abc", with: codec)
        expectError(.wrongSegmentCount(2), verifying: "abc.def", with: codec)
        expectError(.wrongSegmentCount(4), verifying: "a.b.c.d", with: codec)
        expectError(.invalidJSON(.header), verifying: "..", with: codec)
        expectError(.invalidBase64(.header), verifying: "e+J.abc.def", with: codec)
        expectError(.invalidBase64(.header), verifying: "eyJhbGciOiJIUzI1NiJ9=.abc.def", with: codec)
        expectError(.invalidBase64(.header), verifying: "a.b.c", with: codec)
        expectError(.invalidJSON(.header), verifying: Base64URL.encode(Array("not json".utf8)) + ".e30.", with: codec)
        expectError(.notAnObject(.header), verifying: Base64URL.encode(Array(#"["HS256"]"#.utf8)) + ".e30.", with: codec)
        expectError(.notAnObject(.header), verifying: Base64URL.encode(Array(#""HS256""#.utf8)) + ".e30.", with: codec)
        expectError(.invalidBase64(.signature), verifying: header + ".e30.!!!", with: codec)
        expectError(.invalidBase64(.payload), verifying: signedTokenWithRawPayload(header: header, payload: "e3=0"), with: codec)
        expectError(.invalidJSON(.payload), verifying: signedToken(header: hs256Header, payload: "{not json"), with: codec)
        expectError(.invalidJSON(.payload), verifying: signedToken(header: hs256Header, payload: ""), with: codec)
        expectError(.notAnObject(.payload), verifying: signedToken(header: hs256Header, payload: #"["sub","u"]"#), with: codec)
        expectError(.notAnObject(.payload), verifying: signedToken(header: hs256Header, payload: "42"), with: codec)
        expectError(.notAnObject(.payload), verifying: signedToken(header: hs256Header, payload: "null"), with: codec)
    }

    @Test func hugeInputIsRefusedBeforeParsing() throws {
        let codec = try codec()
        var generator = SystemRandomNumberGenerator()
        let garbage = String((0..<100_000).map { _ in Character(UnicodeScalar(UInt8.random(in: 33...126, using: &generator))) })
        expectError(.tooLarge(byteCount: 100_000, limit: 8192), verifying: garbage, with: codec)
        let justOver = String(repeating: "a", count: 8193)
        expectError(.tooLarge(byteCount: 8193, limit: 8192), verifying: justOver, with: codec)
        // At the limit the token is parsed (and here rejected for its shape).
        expectError(.wrongSegmentCount(1), verifying: String(repeating: "a", count: 8192), with: codec)
    }

    @Test func randomGarbageNeverCrashes() throws {
        let codec = try codec()
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCxyz019-_.=+/{}\"é")
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...80, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(throws: TokenError.self) { try codec.verify(text, as: .access) }
        }
    }
}

/// A token whose payload segment is given verbatim (possibly invalid
/// base64url) but whose signature is correct over it.
private func signedTokenWithRawPayload(header: String, payload: String) -> String {
    let input = header + "." + payload
    let signature = HMACSHA256.authenticate(input.utf8, key: Array(fixtureSecret.utf8))!
    return input + "." + Base64URL.encode(signature)
}

/// A token that verified is remembered by its text: its next use checks only type and dates,
/// with the same errors in the same order; what did not verify is never remembered.
@Suite struct VerifiedTokenTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        let now = Mutex(insideLifetime)
        func read() -> Date { now.withLock { $0 } }
    }

    @Test func aRememberedTokenStillExpiresAndKeepsItsType() throws {
        let clock = Clock()
        let codec = try TokenCodec(secret: fixtureSecret, leeway: .seconds(30), clock: { clock.read() })
        let token = try codec.issue(subject: "user-1", type: .access, lifetime: .seconds(900), extra: ["sid": "s1"])
        let first = try codec.verify(token, as: .access)
        #expect(try codec.verify(token, as: .access) == first)
        #expect(throws: TokenError.wrongType(expected: .refresh, found: .access)) { try codec.verify(token, as: .refresh) }
        clock.now.withLock { $0 = $0.addingTimeInterval(900 + 30) }
        #expect(throws: TokenError.expired(at: first.expiresAt)) { try codec.verify(token, as: .access) }
        // Checked against the type first, as the full check does.
        #expect(throws: TokenError.wrongType(expected: .refresh, found: .access)) { try codec.verify(token, as: .refresh) }
    }

    /// A token not yet valid verified its signature: it is remembered, and accepted once the
    /// clock reaches `nbf`, as a fresh check would.
    @Test func aTokenNotYetValidBecomesValidOnTime() throws {
        let clock = Clock()
        let codec = try TokenCodec(secret: fixtureSecret, leeway: .seconds(0), clock: { clock.read() })
        let claims = TokenClaims(
            subject: "u", type: .access, expiresAt: insideLifetime.addingTimeInterval(600), issuedAt: nil,
            notBefore: insideLifetime.addingTimeInterval(60), id: nil)
        let token = try codec.sign(claims)
        #expect(throws: TokenError.notYetValid(until: claims.notBefore!)) { try codec.verify(token, as: .access) }
        clock.now.withLock { $0 = $0.addingTimeInterval(60) }
        #expect(try codec.verify(token, as: .access) == claims)
    }

    /// A forged signature, a tampered payload and a token signed with another secret fail every
    /// time, even after the genuine token was remembered.
    @Test func whatFailsIsNeverRemembered() throws {
        let codec = try codec()
        let token = try codec.issue(subject: "user-1", type: .access, lifetime: .seconds(900))
        _ = try codec.verify(token, as: .access)
        let parts = token.split(separator: ".").map(String.init)
        let forged = parts[0] + "." + parts[1] + "." + Base64URL.encode([UInt8](repeating: 7, count: 32))
        let otherSecret = try TokenCodec(secret: "another-secret", clock: { insideLifetime })
            .issue(subject: "user-1", type: .access, lifetime: .seconds(900))
        for _ in 0..<2 {
            #expect(throws: TokenError.invalidSignature) { try codec.verify(forged, as: .access) }
            #expect(throws: TokenError.invalidSignature) { try codec.verify(otherSecret, as: .access) }
            #expect(throws: TokenError.invalidSignature) { try codec.verify(token + "x", as: .access) }
        }
    }

    /// The memory is bounded: at capacity it starts over, and a forgotten token verifies in full.
    @Test func theMemoryIsBounded() throws {
        let tokens = VerifiedTokens(capacity: 4)
        let claims = TokenClaims(subject: "u", type: .access, expiresAt: insideLifetime, issuedAt: nil, notBefore: nil, id: nil)
        for index in 0..<10 {
            tokens.insert("token-\(index)", claims)
            #expect(tokens.count <= 4)
        }
        #expect(tokens.lookup("token-9") == claims)
        #expect(tokens.lookup("token-0") == nil)
        let none = VerifiedTokens(capacity: 0)
        none.insert("t", claims)
        #expect(none.lookup("t") == nil)

        let codec = try TokenCodec(secret: fixtureSecret, clock: { insideLifetime }, verifiedCapacity: 2)
        let issued = try (0..<5).map { try codec.issue(subject: "user-\($0)", type: .access, lifetime: .seconds(900)) }
        for _ in 0..<2 {
            for (index, token) in issued.enumerated() { #expect(try codec.verify(token, as: .access).subject == "user-\(index)") }
        }
    }
}
