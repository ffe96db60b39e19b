/// What a token is for, carried in its `typ` claim. Verification demands the
/// expected type so that a refresh or password-reset token can never be
/// replayed as an access token, even though all are signed with one secret.
public struct TokenType: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let access: TokenType = "access"
    public static let refresh: TokenType = "refresh"
    public static let passwordReset: TokenType = "password-reset"

    public var description: String { rawValue }
}
