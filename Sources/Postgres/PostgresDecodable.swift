import Foundation

/// A Swift type that can be read from one column value, in text or binary format.
///
/// Rows decode these directly; any other `Decodable` goes through the row's
/// `Decoder` (and `json`/`jsonb` columns through `JSONDecoder`). Refines
/// `Decodable` so one `decode(_:column:)` serves both kinds; the `Decodable`
/// side is only used when such a value sits inside a JSON document.
public protocol PostgresDecodable: Decodable {
    /// Reads a non-NULL value. `text` holds the column's text-format bytes;
    /// `type` is the column's type, for types with several representations.
    static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self
    /// Reads a non-NULL value of a result that came in binary: `bytes` holds what `type`'s
    /// `send` function wrote, and `type` is one `PostgresBinary.isReadable` accepts. The default
    /// converts it to the text PostgreSQL would have sent and reads that; the types whose
    /// binary form is cheaper to read override it.
    static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self
    /// Reads SQL NULL; only `Optional` accepts it.
    static func decodeNull(type: PostgresDataType) throws -> Self
}

extension PostgresDecodable {
    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        try decode(binaryAsText: bytes, type: type)
    }

    /// Reads a binary value through the text PostgreSQL would have sent for it: the default, and
    /// the way the overrides read the types they have no faster path for.
    static func decode(binaryAsText bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        try PostgresBinary.withText(bytes, type: type) { try decode(postgresText: $0, type: type) }
    }

    public static func decodeNull(type: PostgresDataType) throws -> Self {
        throw PostgresDecodingFailure("is NULL; decode an Optional to accept NULL")
    }
}

/// Why a value could not be decoded; the row adds the column's name and
/// rethrows it as `PostgresError.decoding`.
struct PostgresDecodingFailure: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    static func unexpected(_ text: UnsafeRawBufferPointer, as type: Any.Type, _ postgresType: PostgresDataType)
        -> PostgresDecodingFailure
    {
        let preview = String(decoding: text.prefix(64), as: UTF8.self)
        return PostgresDecodingFailure("\"\(preview)\" (\(postgresType)) is not a valid \(type)")
    }
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> String {
        String(decoding: text, as: UTF8.self)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> String {
        try PostgresBinary.withText(bytes, type: type) { String(decoding: $0, as: UTF8.self) }
    }
}

extension FixedWidthInteger {
    /// Parses a decimal integer, rejecting overflow and stray characters.
    static func parsePostgres(_ text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        var index = 0
        var negative = false
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < text.count else { throw PostgresDecodingFailure.unexpected(text, as: Self.self, type) }
        var value: Self = 0
        while index < text.count {
            let byte = text[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw PostgresDecodingFailure.unexpected(text, as: Self.self, type)
            }
            let digit = Self(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else {
                throw PostgresDecodingFailure.unexpected(text, as: Self.self, type)
            }
            value = next
            index += 1
        }
        return value
    }

    /// Reads an `int2`, `int4` or `int8` in binary; a value out of `Self`'s range fails as its
    /// text would. Other types go through their text.
    static func binaryPostgres(_ bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        switch type {
        case .int2, .int4, .int8:
            let value = try PostgresBinary.anyInteger(bytes, type)
            guard let exact = Self(exactly: value) else {
                throw PostgresDecodingFailure("\"\(value)\" (\(type)) is not a valid \(Self.self)")
            }
            return exact
        default:
            return try PostgresBinary.withText(bytes, type: type) { try parsePostgres($0, type: type) }
        }
    }
}

extension Int: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int {
        try parsePostgres(text, type: type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int {
        try binaryPostgres(bytes, type: type)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int64 {
        try parsePostgres(text, type: type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int64 {
        try binaryPostgres(bytes, type: type)
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int32 {
        try parsePostgres(text, type: type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int32 {
        try binaryPostgres(bytes, type: type)
    }
}

extension Int16: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int16 {
        try parsePostgres(text, type: type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Int16 {
        try binaryPostgres(bytes, type: type)
    }
}

extension UInt8: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> UInt8 {
        try parsePostgres(text, type: type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> UInt8 {
        try binaryPostgres(bytes, type: type)
    }
}

extension BinaryFloatingPoint where Self: LosslessStringConvertible {
    static func parsePostgres(_ text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        let string = String(decoding: text, as: UTF8.self)
        switch string {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Self(string) else { throw PostgresDecodingFailure.unexpected(text, as: Self.self, type) }
            return value
        }
    }
}

extension Double: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Double {
        try parsePostgres(text, type: type)
    }
}

extension Float: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Float {
        try parsePostgres(text, type: type)
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Bool {
        if text.elementsEqual("t".utf8) || text.elementsEqual("true".utf8) { return true }
        if text.elementsEqual("f".utf8) || text.elementsEqual("false".utf8) { return false }
        throw PostgresDecodingFailure.unexpected(text, as: Bool.self, type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Bool {
        guard type == .bool else {
            return try decode(binaryAsText: bytes, type: type)
        }
        return try PostgresBinary.bool(bytes, type)
    }
}

extension UUID: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> UUID {
        if let uuid = canonical(text) { return uuid }
        guard let uuid = UUID(uuidString: String(decoding: text, as: UTF8.self)) else {
            throw PostgresDecodingFailure.unexpected(text, as: UUID.self, type)
        }
        return uuid
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> UUID {
        guard type == .uuid else {
            return try decode(binaryAsText: bytes, type: type)
        }
        return UUID(uuid: try PostgresBinary.uuid(bytes, type))
    }

    /// The form PostgreSQL's `uuid_out` always writes (36 characters, lowercase, hyphenated),
    /// read directly: Foundation's `UUID(uuidString:)` goes through `sscanf`, which was 9.5% of
    /// the server's time on a list of 100 items (two uuid columns a row).
    private static func canonical(_ text: UnsafeRawBufferPointer) -> UUID? {
        guard text.count == 36 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &raw) { out -> Bool in
            var index = 0
            for byte in 0..<16 {
                if byte == 4 || byte == 6 || byte == 8 || byte == 10 {
                    guard text[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard let high = hexDigit(text[index]), let low = hexDigit(text[index + 1]) else { return false }
                out[byte] = high << 4 | low
                index += 2
            }
            return true
        }
        return parsed ? UUID(uuid: raw) : nil
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Reads `timestamptz`, `timestamp` (taken as UTC) and `date` (midnight UTC).
extension Date: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Date {
        guard let date = TimestampText.parse(text) else {
            throw PostgresDecodingFailure.unexpected(text, as: Date.self, type)
        }
        return date
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Date {
        guard PostgresBinary.dependsOnSession(type) else {
            return try decode(binaryAsText: bytes, type: type)
        }
        return TimestampText.date(try PostgresBinary.instant(bytes, type))
    }
}

extension Data: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Data {
        Data(try [UInt8].decode(postgresText: text, type: type))
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        try Wrapped.decode(postgresText: text, type: type)
    }

    public static func decode(postgresBinary bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        try Wrapped.decode(postgresBinary: bytes, type: type)
    }

    public static func decodeNull(type: PostgresDataType) throws -> Self {
        nil
    }
}

/// Reads one-dimensional arrays; `[UInt8]` reads `bytea`.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        if Element.self == UInt8.self, type != .int2Array, type != .int4Array, type != .int8Array {
            guard let bytes = ByteaHex.decode(text) else {
                throw PostgresDecodingFailure.unexpected(text, as: [UInt8].self, type)
            }
            return bytes as! Self
        }
        guard let elements = ArrayLiteral.parse(text) else {
            throw PostgresDecodingFailure.unexpected(text, as: Self.self, type)
        }
        let elementType = type.elementType ?? .unknown
        return try elements.map { element in
            guard let element else { return try Element.decodeNull(type: elementType) }
            return try element.withUnsafeBytes { try Element.decode(postgresText: $0, type: elementType) }
        }
    }
}
