/// Every failure the Redis client reports. No message ever contains the
/// connection password.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Opening (or re-opening) a connection failed: refused, unreachable,
    /// timed out, wrong password, or a database index the server rejects.
    case connectFailed(String)
    /// The connection broke while in use (server restart, `CLIENT KILL`,
    /// network). Not retried automatically: the command may or may not have
    /// run. The pool reconnects on the connection's next checkout.
    case connectionLost(String)
    /// The connection (or subscriber) was closed by `close()`.
    case connectionClosed
    /// The pool was closed by `close()`.
    case poolClosed
    /// No pooled connection became free within the pool's checkout timeout.
    case checkoutTimeout
    /// The server did not answer within the command timeout. The reply may
    /// still come, so the connection is not reused: the pool reconnects on
    /// its next checkout.
    case timeout
    /// An error reply (`-ERR ...`, `-WRONGTYPE ...`), the whole message with
    /// its code; see `serverCode`.
    case server(String)
    /// A reply of a shape the called method does not expect.
    case unexpectedReply(String)
    /// A connection URL that cannot be used; the reason never repeats the URL.
    case invalidURL(String)
    /// A command this client cannot run on a pooled connection (`SUBSCRIBE`,
    /// `MONITOR`): it would leave the connection unusable for the next user.
    case unsupported(String)

    /// The code a server error starts with (`ERR`, `WRONGTYPE`, `NOSCRIPT`,
    /// `NOAUTH`, `WRONGPASS`...), nil for other errors.
    public var serverCode: String? {
        guard case .server(let message) = self else { return nil }
        let code = message.prefix { $0 != " " }
        guard !code.isEmpty, code.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { return nil }
        return String(code)
    }

    public var description: String {
        switch self {
        case .connectFailed(let message): "could not connect to Redis: \(message)"
        case .connectionLost(let message): "the connection to Redis was lost: \(message)"
        case .connectionClosed: "the Redis connection is closed"
        case .poolClosed: "the Redis connection pool is closed"
        case .checkoutTimeout: "timed out waiting for a free Redis connection"
        case .timeout: "Redis did not answer within the command timeout"
        case .server(let message): "Redis replied with an error: \(message)"
        case .unexpectedReply(let message): "unexpected reply from Redis: \(message)"
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .unsupported(let reason): "unsupported Redis command: \(reason)"
        }
    }
}
