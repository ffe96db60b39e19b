import Foundation

/// The claims of a token, named as on the wire by PyJWT and the FastAPI
/// template (`sub`, `exp`, `iat`, `nbf`, `typ`, `jti`). Dates are whole
/// seconds since 1970 on the wire (NumericDate, RFC 7519 §2).
public struct TokenClaims: Sendable, Hashable {
    /// `sub`: who the token speaks for, usually the user id.
    public var subject: String
    /// `typ`: what the token may be used for.
    public var type: TokenType
    /// `exp`: required on verification; tokens that never expire are refused.
    public var expiresAt: Date
    /// `iat`: optional on verification because the template's tokens omit it.
    public var issuedAt: Date?
    /// `nbf`
    public var notBefore: Date?
    /// `jti`: a unique id, for revocation lists and one-time tokens.
    public var id: String?
    /// Any other claims whose values are strings (`scope`, `email`, `iss`,
    /// `aud`...). Other JSON values are dropped on verification.
    public var extra: [String: String]

    /// Claim names the codec writes itself and that `extra` must not contain.
    public static let registeredNames: Set<String> = ["sub", "typ", "exp", "iat", "nbf", "jti"]

    public init(
        subject: String, type: TokenType, expiresAt: Date, issuedAt: Date? = nil,
        notBefore: Date? = nil, id: String? = nil, extra: [String: String] = [:]
    ) {
        self.subject = subject
        self.type = type
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.id = id
        self.extra = extra
    }
}
