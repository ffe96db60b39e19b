import Foundation

/// A value that can be one argument of a Redis command. Arguments travel as
/// length-prefixed bytes, so any bytes are allowed, NUL and invalid UTF-8
/// included.
///
/// Command methods take `[any RedisArgument]`, so a command mixes texts,
/// bytes and numbers: `["SET", key, data, "EX", 60]`.
public protocol RedisArgument: Sendable {
    /// The bytes sent to the server.
    var redisBytes: [UInt8] { get }
}

extension String: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Substring: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    public var redisBytes: [UInt8] { self }
}

extension Data: RedisArgument {
    public var redisBytes: [UInt8] { Array(self) }
}

extension Int: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int64: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int32: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension UInt64: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension UInt: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Double: RedisArgument {
    /// Swift's shortest round-tripping form; `inf` and `-inf` are what Redis
    /// expects for infinite scores.
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}
