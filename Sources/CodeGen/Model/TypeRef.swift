/// How a value is typed where it is used: a named type, a primitive, or a container of them.
/// Emitters map it to Swift or TypeScript; the same `TypeRef` means the same wire format.
public indirect enum TypeRef: Hashable, Sendable {
    case named(String)
    case primitive(Primitive)
    case array(TypeRef)
    /// A JSON object with arbitrary keys.
    case dictionary(TypeRef)
    /// JSON `null` is accepted as well.
    case nullable(TypeRef)
    /// Any JSON value.
    case any

    public enum Primitive: String, Hashable, Sendable {
        case string
        case integer
        case int32
        case int64
        case number
        case float
        case double
        case boolean
        case uuid
        case dateTime
        case date
        /// Base64 text on the wire, bytes in code.
        case byte
        /// Raw bytes (file uploads, octet streams).
        case binary
    }

    public var isNullable: Bool {
        if case .nullable = self { return true }
        return false
    }

    /// The type without its nullability.
    public var nonNull: TypeRef {
        if case .nullable(let inner) = self { return inner.nonNull }
        return self
    }

    /// Whether a named type is in it, at any depth (`[Item]`, `{String: Item?}`).
    public var mentionsNamedType: Bool {
        switch self {
        case .named: true
        case .primitive, .any: false
        case .array(let inner), .dictionary(let inner), .nullable(let inner): inner.mentionsNamedType
        }
    }

    public var namedType: String? {
        if case .named(let name) = nonNull { return name }
        return nil
    }
}
