import CLibPQ
import Foundation

/// PostgreSQL's binary format (what each type's `send` function writes), for the result columns
/// this client asks for in binary.
///
/// libpq takes one result format for all the columns of a statement, so a statement's results
/// come in binary only when every column has a type listed here: one whose binary value the
/// natively read Swift types decode directly, and which converts to exactly the text PostgreSQL
/// would have sent (`text(_:type:)`) for everything else, so that a row decodes to the same
/// values either way. For `date`, `timestamp` and `timestamptz` that text depends on the
/// session's `DateStyle` and `TimeZone`; connections start with `ISO` and `UTC`, and a session
/// that changed them gets text (`sessionAllowsTimes`).
///
/// Types left out stay text: `numeric` and arrays (binary forms that take more work to read
/// than their text), floats (whose text depends on `extra_float_digits`), `bytea` (on
/// `bytea_output`), and types without a fixed OID (enums, domains, composites).
enum PostgresBinary {
    /// Microseconds (`timestamp`) or days (`date`) between 1970-01-01 and PostgreSQL's epoch,
    /// 2000-01-01.
    static let epochDays: Int64 = 10_957
    static let epochSeconds: Int64 = epochDays * 86_400

    /// Whether a result column of `type` may come in binary.
    static func isReadable(_ type: PostgresDataType) -> Bool {
        switch type {
        case .bool, .int2, .int4, .int8, .uuid, .text, .varchar, .bpchar, .name, .json, .jsonb: true
        case .date, .timestamp, .timestamptz: true
        default: false
        }
    }

    /// Whether `type`'s text form depends on the session's `DateStyle` or `TimeZone`.
    static func dependsOnSession(_ type: PostgresDataType) -> Bool {
        type == .date || type == .timestamp || type == .timestamptz
    }

    /// Whether the session's settings give the text `text(_:type:)` writes for dates and
    /// times: `DateStyle` ISO and `TimeZone` UTC (or one of its names). Under the connection's
    /// lock (libpq keeps the values the server last reported).
    /// Checked before every send of such a statement (a `SET` may come at any time), so it
    /// compares C strings in place.
    static func sessionAllowsTimes(_ handle: OpaquePointer) -> Bool {
        guard let style = PQparameterStatus(handle, "DateStyle"), strncmp(style, "ISO", 3) == 0,
            var zone = PQparameterStatus(handle, "TimeZone")
        else { return false }
        if strncmp(zone, "Etc/", 4) == 0 { zone += 4 }
        return strcmp(zone, "UTC") == 0 || strcmp(zone, "UCT") == 0 || strcmp(zone, "GMT") == 0
            || strcmp(zone, "Universal") == 0 || strcmp(zone, "Zulu") == 0
    }

    // MARK: - Reading

    /// A big-endian integer of exactly `I`'s width.
    static func integer<I: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, as _: I.Type, _ type: PostgresDataType)
        throws -> I
    {
        guard bytes.count == MemoryLayout<I>.size else { throw wrongLength(bytes, type) }
        var value: I = 0
        for byte in bytes { value = value << 8 | I(truncatingIfNeeded: byte) }
        return value
    }

    /// An `int2`, `int4` or `int8` value, widened.
    static func anyInteger(_ bytes: UnsafeRawBufferPointer, _ type: PostgresDataType) throws -> Int64 {
        switch type {
        case .int2: Int64(try integer(bytes, as: Int16.self, type))
        case .int4: Int64(try integer(bytes, as: Int32.self, type))
        case .int8: try integer(bytes, as: Int64.self, type)
        default: throw PostgresDecodingFailure("a binary \(type) value is not an integer")
        }
    }

    static func bool(_ bytes: UnsafeRawBufferPointer, _ type: PostgresDataType) throws -> Bool {
        guard bytes.count == 1 else { throw wrongLength(bytes, type) }
        return bytes[0] != 0
    }

    static func uuid(_ bytes: UnsafeRawBufferPointer, _ type: PostgresDataType) throws -> uuid_t {
        guard bytes.count == 16 else { throw wrongLength(bytes, type) }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: bytes) }
        return raw
    }

    /// A `date`, `timestamp` or `timestamptz` value: microseconds since 2000-01-01 UTC, or an
    /// infinity.
    enum Instant: Equatable {
        case microseconds(Int64)
        case infinity, minusInfinity
    }

    static func instant(_ bytes: UnsafeRawBufferPointer, _ type: PostgresDataType) throws -> Instant {
        switch type {
        case .date:
            let days = try integer(bytes, as: Int32.self, type)
            if days == .max { return .infinity }
            if days == .min { return .minusInfinity }
            return .microseconds(Int64(days) * 86_400_000_000)
        case .timestamp, .timestamptz:
            let micros = try integer(bytes, as: Int64.self, type)
            if micros == .max { return .infinity }
            if micros == .min { return .minusInfinity }
            return .microseconds(micros)
        default:
            throw PostgresDecodingFailure("a binary \(type) value is not a date or time")
        }
    }

    // MARK: - As text

    /// Calls `body` with the text PostgreSQL sends for this binary value (with `DateStyle` ISO
    /// and `TimeZone` UTC), for decoders that read text: `String` from an `int4`, a `Decodable`
    /// enum, JSON. Text types are the same bytes in both formats and are passed as they are.
    static func withText<Result>(
        _ bytes: UnsafeRawBufferPointer, type: PostgresDataType, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        switch type {
        case .text, .varchar, .bpchar, .name, .json: try body(bytes)
        default: try text(bytes, type: type).withUnsafeBytes(body)
        }
    }

    /// The text of a value of a type `withText` converts.
    private static func text(_ bytes: UnsafeRawBufferPointer, type: PostgresDataType) throws -> [UInt8] {
        switch type {
        case .jsonb:
            // jsonb_send: a format version (1), then the document as jsonb_out writes it.
            guard bytes.first == 1 else {
                throw PostgresDecodingFailure("a binary jsonb value of unknown version \(bytes.first.map(String.init) ?? "none")")
            }
            return Array(bytes.dropFirst())
        case .bool:
            return try bool(bytes, type) ? [UInt8(ascii: "t")] : [UInt8(ascii: "f")]
        case .int2, .int4, .int8:
            return Array(String(try anyInteger(bytes, type)).utf8)
        case .uuid:
            // Only for a uuid read as text (a `String`): the cold path.
            return Array(UUID(uuid: try uuid(bytes, type)).uuidString.lowercased().utf8)
        case .date, .timestamp, .timestamptz:
            return Array(TimestampText.postgresText(try instant(bytes, type), type: type).utf8)
        default:
            throw PostgresDecodingFailure("\(type) is not read in binary")
        }
    }

    static func wrongLength(_ bytes: UnsafeRawBufferPointer, _ type: PostgresDataType) -> PostgresDecodingFailure {
        PostgresDecodingFailure("a binary \(type) value of \(bytes.count) bytes")
    }
}
