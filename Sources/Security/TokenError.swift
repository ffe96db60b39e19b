import Foundation

/// Why a token could not be issued or was refused. Every malformed input
/// ends here rather than in a trap, so a server can answer 401 for all of
/// them and log the precise case.
public enum TokenError: Error, Sendable, Hashable {
    /// An HMAC key of zero bytes would make every token forgeable.
    case emptySecret
    /// Refused before any parsing, so oversized input costs nothing.
    case tooLarge(byteCount: Int, limit: Int)
    /// A compact JWS has exactly three segments.
    case wrongSegmentCount(Int)
    case invalidBase64(TokenSegment)
    case invalidJSON(TokenSegment)
    /// Valid JSON, but an array, string or number where an object belongs.
    case notAnObject(TokenSegment)
    /// The header's `alg` is absent, `none`, or anything but HS256.
    case unsupportedAlgorithm(String?)
    /// The header lists `crit` extensions, which this codec does not implement
    /// and therefore must not accept (RFC 7515 §4.1.11).
    case unsupportedCriticalHeader
    case invalidSignature
    case expired(at: Date)
    case notYetValid(until: Date)
    /// `iat` lies further in the future than the allowed clock skew.
    case issuedInFuture(at: Date)
    case wrongType(expected: TokenType, found: TokenType)
    case missingClaim(String)
    /// A registered claim has the wrong JSON type or an unusable value.
    case invalidClaim(String)
    /// An extra claim tried to overwrite one the codec manages.
    case reservedClaim(String)
    /// OpenSSL failed to produce an HMAC or random bytes.
    case cryptographyFailure
}
