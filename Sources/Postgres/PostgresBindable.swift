import Foundation

/// A Swift value that can be sent as a statement parameter.
///
/// Values travel in PostgreSQL's text format, never inside the SQL string.
/// Each conforming type names the parameter type it is sent as, so the server
/// can resolve `$1 IS NULL` or `unnest($1)` without casts; `String` is the
/// exception and is sent untyped, letting the server read it as whatever the
/// context needs (`text`, `varchar`, `date`, an enum...).
public protocol PostgresBindable: Sendable {
    /// The parameter's type; `.unknown` lets the server infer it.
    static var postgresType: PostgresDataType { get }
    /// The type of an array of this type, used when `[Self]` is bound.
    static var postgresArrayType: PostgresDataType { get }
    /// The value in text format, or nil for SQL NULL.
    func postgresText() throws -> String?
    /// The value in PostgreSQL's binary format (what the type's `recv` function reads), for the
    /// types where that is cheaper on both sides than text; nil (the default) sends
    /// `postgresText()` instead.
    func postgresBinary() -> [UInt8]?
}

extension PostgresBindable {
    public func postgresBinary() -> [UInt8]? { nil }
}

extension String: PostgresBindable {
    public static var postgresType: PostgresDataType { .unknown }
    public static var postgresArrayType: PostgresDataType { .textArray }

    public func postgresText() throws -> String? {
        // libpq takes text parameters as C strings: a NUL would silently cut
        // the value short, so refuse it (PostgreSQL text cannot hold NUL).
        if utf8.contains(0) {
            throw PostgresError.encoding("a string parameter contains a NUL character, which PostgreSQL text cannot store")
        }
        return self
    }
}

extension Substring: PostgresBindable {
    public static var postgresType: PostgresDataType { .unknown }
    public static var postgresArrayType: PostgresDataType { .textArray }
    public func postgresText() throws -> String? { try String(self).postgresText() }
}

extension Int: PostgresBindable {
    public static var postgresType: PostgresDataType { .int8 }
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public func postgresText() throws -> String? { String(self) }
}

extension Int64: PostgresBindable {
    public static var postgresType: PostgresDataType { .int8 }
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public func postgresText() throws -> String? { String(self) }
}

extension Int32: PostgresBindable {
    public static var postgresType: PostgresDataType { .int4 }
    public static var postgresArrayType: PostgresDataType { .int4Array }
    public func postgresText() throws -> String? { String(self) }
}

extension Int16: PostgresBindable {
    public static var postgresType: PostgresDataType { .int2 }
    public static var postgresArrayType: PostgresDataType { .int2Array }
    public func postgresText() throws -> String? { String(self) }
}

/// A single byte binds as `int2`; it conforms mainly so that `[UInt8]` binds
/// as `bytea` (see the `Array` conformance).
extension UInt8: PostgresBindable {
    public static var postgresType: PostgresDataType { .int2 }
    public static var postgresArrayType: PostgresDataType { .bytea }
    public func postgresText() throws -> String? { String(self) }
}

extension Double: PostgresBindable {
    public static var postgresType: PostgresDataType { .float8 }
    public static var postgresArrayType: PostgresDataType { .float8Array }
    public func postgresText() throws -> String? { Self.postgresFloatText(self) }

    /// Swift spells infinities `inf`; PostgreSQL wants `Infinity`.
    static func postgresFloatText<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }
}

extension Float: PostgresBindable {
    public static var postgresType: PostgresDataType { .float4 }
    public static var postgresArrayType: PostgresDataType { .float4Array }
    public func postgresText() throws -> String? { Double.postgresFloatText(self) }
}

extension Bool: PostgresBindable {
    public static var postgresType: PostgresDataType { .bool }
    public static var postgresArrayType: PostgresDataType { .boolArray }
    public func postgresText() throws -> String? { self ? "t" : "f" }
}

extension UUID: PostgresBindable {
    public static var postgresType: PostgresDataType { .uuid }
    public static var postgresArrayType: PostgresDataType { .uuidArray }
    public func postgresText() throws -> String? { uuidString }
    /// The 16 bytes as they are: no `uuidString` (Foundation formats it with `snprintf`, one call
    /// per byte) and no parsing in the server.
    public func postgresBinary() -> [UInt8]? { withUnsafeBytes(of: uuid) { Array($0) } }
}

/// Dates bind as `timestamptz` in UTC with microseconds, PostgreSQL's precision.
extension Date: PostgresBindable {
    public static var postgresType: PostgresDataType { .timestamptz }
    public static var postgresArrayType: PostgresDataType { .timestamptzArray }
    public func postgresText() throws -> String? { TimestampText.format(self) }
}

extension Data: PostgresBindable {
    public static var postgresType: PostgresDataType { .bytea }
    public static var postgresArrayType: PostgresDataType { .byteaArray }
    public func postgresText() throws -> String? { ByteaHex.encode(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public static var postgresType: PostgresDataType { Wrapped.postgresType }
    public static var postgresArrayType: PostgresDataType { Wrapped.postgresArrayType }
    public func postgresText() throws -> String? { try self?.postgresText() }
    public func postgresBinary() -> [UInt8]? { self?.postgresBinary() }
}

/// Arrays bind as one-dimensional PostgreSQL arrays (`{...}`), except
/// `[UInt8]`, which binds as `bytea` like `Data`.
extension Array: PostgresBindable where Element: PostgresBindable {
    public static var postgresType: PostgresDataType {
        Element.self == UInt8.self ? .bytea : Element.postgresArrayType
    }

    public static var postgresArrayType: PostgresDataType {
        // An array of arrays would be a multi-dimensional array, which this
        // client does not encode; only [[UInt8]] (bytea[]) is meaningful.
        Element.self == UInt8.self ? .byteaArray : .unknown
    }

    public func postgresText() throws -> String? {
        // Compare the element type, not `self as? [UInt8]`: an empty array of
        // any type casts successfully.
        if Element.self == UInt8.self { return ByteaHex.encode(self as! [UInt8]) }
        return ArrayLiteral.format(try map { try $0.postgresText() })
    }
}
