/// An operation's `security`: alternatives (OR), each a set of schemes with scopes (AND).
///
/// Generated code keeps one per operation in a `static let`, e.g.
/// `[["OAuth2PasswordBearer": []]]`; `[[:]]` (an empty alternative) means anonymous access is
/// allowed, and `[]` means the operation has no security at all.
public struct SecurityRequirements: Sendable, Hashable, ExpressibleByArrayLiteral {
    public struct Requirement: Sendable, Hashable {
        public var scheme: String
        public var scopes: [String]

        public init(scheme: String, scopes: [String] = []) {
            self.scheme = scheme
            self.scopes = scopes
        }
    }

    public struct Alternative: Sendable, Hashable, ExpressibleByDictionaryLiteral {
        public var schemes: [Requirement]

        public init(_ schemes: [Requirement]) {
            self.schemes = schemes
        }

        public init(dictionaryLiteral elements: (String, [String])...) {
            self.schemes = elements.map { Requirement(scheme: $0.0, scopes: $0.1) }
        }
    }

    public var alternatives: [Alternative]

    public init(_ alternatives: [Alternative]) {
        self.alternatives = alternatives
    }

    public init(arrayLiteral elements: Alternative...) {
        self.alternatives = elements
    }

    /// No security: the route does not call the handler.
    public static let none: SecurityRequirements = []
}
