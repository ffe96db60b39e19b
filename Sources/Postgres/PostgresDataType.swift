/// A PostgreSQL type, by its OID (`pg_type.oid`).
///
/// Only built-in types have fixed OIDs; those the client encodes or decodes
/// are listed. Parameters sent as `.unknown` let the server infer the type
/// from the statement.
public struct PostgresDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let unknown = Self(0)
    public static let bool = Self(16)
    public static let bytea = Self(17)
    public static let char = Self(18)
    public static let name = Self(19)
    public static let int8 = Self(20)
    public static let int2 = Self(21)
    public static let int4 = Self(23)
    public static let text = Self(25)
    public static let oid = Self(26)
    public static let json = Self(114)
    public static let float4 = Self(700)
    public static let float8 = Self(701)
    public static let bpchar = Self(1042)
    public static let varchar = Self(1043)
    public static let date = Self(1082)
    public static let time = Self(1083)
    public static let timestamp = Self(1114)
    public static let timestamptz = Self(1184)
    public static let interval = Self(1186)
    public static let numeric = Self(1700)
    public static let uuid = Self(2950)
    public static let jsonb = Self(3802)

    public static let jsonArray = Self(199)
    public static let boolArray = Self(1000)
    public static let byteaArray = Self(1001)
    public static let charArray = Self(1002)
    public static let nameArray = Self(1003)
    public static let int2Array = Self(1005)
    public static let int4Array = Self(1007)
    public static let textArray = Self(1009)
    public static let bpcharArray = Self(1014)
    public static let varcharArray = Self(1015)
    public static let int8Array = Self(1016)
    public static let float4Array = Self(1021)
    public static let float8Array = Self(1022)
    public static let timestampArray = Self(1115)
    public static let dateArray = Self(1182)
    public static let timestamptzArray = Self(1185)
    public static let numericArray = Self(1231)
    public static let uuidArray = Self(2951)
    public static let jsonbArray = Self(3807)

    private static let elementTypes: [PostgresDataType: PostgresDataType] = [
        .jsonArray: .json, .boolArray: .bool, .byteaArray: .bytea, .charArray: .char,
        .nameArray: .name, .int2Array: .int2, .int4Array: .int4, .textArray: .text,
        .bpcharArray: .bpchar, .varcharArray: .varchar, .int8Array: .int8,
        .float4Array: .float4, .float8Array: .float8, .timestampArray: .timestamp,
        .dateArray: .date, .timestamptzArray: .timestamptz, .numericArray: .numeric,
        .uuidArray: .uuid, .jsonbArray: .jsonb,
    ]

    /// The element type when this is a built-in array type.
    public var elementType: PostgresDataType? { Self.elementTypes[self] }

    /// Whether values of this type are JSON documents.
    public var isJSON: Bool { self == .json || self == .jsonb }

    public var description: String { "oid \(rawValue)" }
}
