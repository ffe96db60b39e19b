import Security

/// A Lua script, named by the SHA-1 of its source as `EVALSHA` expects.
///
/// Create each script once (a `static let`) and run it with
/// `RedisClient.evaluate`: the source travels only when the server has not
/// cached it yet.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// 40 lowercase hex digits, as `SCRIPT LOAD` returns.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = Digest.hex(Digest.sha1(source.utf8))
    }
}
