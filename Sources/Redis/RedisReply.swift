import Foundation

/// One reply of the Redis protocol (RESP2, which hiredis 0.14 speaks).
///
/// A top-level error reply is thrown as `RedisError.server` by `send`, and
/// becomes a `.failure` in a pipeline's results; `.error` only appears nested
/// inside an array (the results of `EXEC`, or a Lua script's table).
public enum RedisReply: Sendable, Hashable, CustomStringConvertible {
    /// A simple string: `OK`, `PONG`, `QUEUED`.
    case status(String)
    case error(String)
    case integer(Int)
    /// A bulk string, binary-safe.
    case bulkString([UInt8])
    /// A missing value (`GET` of an absent key) or a null array.
    case null
    case array([RedisReply])

    /// A bulk string or status as text; nil for other replies and for bytes
    /// that are not valid UTF-8 (use `bytes` for binary values).
    public var string: String? {
        switch self {
        case .status(let text): text
        case .bulkString(let bytes): String(bytes: bytes, encoding: .utf8)
        default: nil
        }
    }

    /// A bulk string's bytes (a status's UTF-8).
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// An integer reply, or a bulk string holding a decimal integer (what
    /// `GET` returns for a counter set by `INCR`).
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulkString(let bytes): String(bytes: bytes, encoding: .utf8).flatMap { Int($0) }
        default: nil
        }
    }

    /// A bulk string holding a number (`INCRBYFLOAT`, `ZSCORE`), or an integer.
    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .bulkString(let bytes): String(bytes: bytes, encoding: .utf8).flatMap { Double($0) }
        default: nil
        }
    }

    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The elements of an array reply as texts (nil elements for nulls and
    /// non-text elements), e.g. for `MGET`.
    public var strings: [String?]? {
        array?.map(\.string)
    }

    public var isNull: Bool { self == .null }

    /// The message of a nested error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    public var description: String {
        switch self {
        case .status(let text): text
        case .error(let message): "(error) \(message)"
        case .integer(let value): "(integer) \(value)"
        case .bulkString(let bytes):
            String(bytes: bytes, encoding: .utf8).map { "\"\($0)\"" } ?? "(\(bytes.count) bytes)"
        case .null: "(nil)"
        case .array(let elements): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
