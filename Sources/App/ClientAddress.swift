import NIOCore

/// The bucket name of a client's address for rate limits. The peer address, not
/// `X-Forwarded-For`, which any client can write; behind a proxy, put the limit there.
enum ClientAddress {
    static func key(_ address: SocketAddress?) -> String {
        address?.ipAddress ?? "unknown"
    }
}
