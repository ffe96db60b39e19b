/// A message a `RedisSubscriber` received.
public struct RedisMessage: Sendable, Hashable {
    public var channel: String
    /// The published bytes, unchanged (binary-safe).
    public var payload: [UInt8]
    /// The subscribed pattern the channel matched; nil for a channel
    /// subscription.
    public var pattern: String?

    public init(channel: String, payload: [UInt8], pattern: String? = nil) {
        self.channel = channel
        self.payload = payload
        self.pattern = pattern
    }

    /// The payload as text; nil when it is not valid UTF-8.
    public var string: String? { String(bytes: payload, encoding: .utf8) }
}
