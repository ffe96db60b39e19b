/// Receives published messages on a connection of its own.
///
/// A subscribed connection can only listen, so a subscriber never uses the
/// pool: it opens its own connection and runs a thread of its own that
/// waits on the socket. Messages arrive in `messages` in the order Redis sent
/// them.
///
/// When the connection breaks (server restart, network, `CLIENT KILL`), the
/// subscriber reconnects with exponential backoff (100 ms doubling up to
/// `maxReconnectDelay`) and subscribes again to every channel and pattern.
/// Redis does not keep messages for absent subscribers: whatever was
/// published while the subscriber was disconnected is lost. Use a list or a
/// stream key where every message matters.
///
/// The subscriber runs until `close()`, or until the task iterating
/// `messages` is cancelled or leaves its loop; either way the stream
/// finishes, the connection closes and the thread exits.
public final class RedisSubscriber: Sendable {
    public let configuration: RedisConfiguration
    /// The messages for every subscribed channel and pattern. Iterate it from
    /// one task only; leaving the loop ends the subscriber.
    public let messages: AsyncStream<RedisMessage>
    private let loop: SubscriberLoop

    private init(
        configuration: RedisConfiguration, maxReconnectDelay: Duration,
        bufferingPolicy: AsyncStream<RedisMessage>.Continuation.BufferingPolicy
    ) {
        self.configuration = configuration
        let (stream, continuation) = AsyncStream.makeStream(of: RedisMessage.self, bufferingPolicy: bufferingPolicy)
        messages = stream
        loop = SubscriberLoop(
            configuration: configuration, continuation: continuation, maxReconnectDelay: maxReconnectDelay)
        // Holding `self` here keeps the subscriber alive as long as its stream
        // runs, even when the caller keeps only `messages`; the closure is
        // released when the stream finishes.
        continuation.onTermination = { [self] _ in loop.requestStop() }
    }

    /// Connects and subscribes; returns once Redis confirmed the
    /// subscriptions, so a message published afterwards is received. The
    /// first connection must succeed (`RedisError.connectFailed` otherwise);
    /// later outages are retried.
    ///
    /// - Parameters:
    ///   - bufferingPolicy: what happens to messages the consumer has not
    ///     taken yet; the default keeps them all.
    public static func connect(
        _ configuration: RedisConfiguration,
        channels: [String] = [],
        patterns: [String] = [],
        maxReconnectDelay: Duration = .seconds(5),
        bufferingPolicy: AsyncStream<RedisMessage>.Continuation.BufferingPolicy = .unbounded
    ) async throws -> RedisSubscriber {
        let subscriber = RedisSubscriber(
            configuration: configuration, maxReconnectDelay: maxReconnectDelay, bufferingPolicy: bufferingPolicy)
        do {
            try await subscriber.loop.start()
            try await subscriber.subscribe(channels: channels, patterns: patterns)
        } catch {
            await subscriber.close()
            throw error
        }
        return subscriber
    }

    public static func connect(
        url: String, channels: [String] = [], patterns: [String] = []
    ) async throws -> RedisSubscriber {
        try await connect(RedisConfiguration(url: url), channels: channels, patterns: patterns)
    }

    /// Adds channels (`SUBSCRIBE`) and glob patterns (`PSUBSCRIBE`); returns
    /// once Redis confirmed them. During an outage it waits for the
    /// reconnection.
    public func subscribe(channels: [String] = [], patterns: [String] = []) async throws {
        try await loop.change(subscribe: true, channels: channels, patterns: patterns)
    }

    /// Removes channels and patterns; returns once Redis confirmed it, after
    /// which no message of theirs arrives.
    public func unsubscribe(channels: [String] = [], patterns: [String] = []) async throws {
        try await loop.change(subscribe: false, channels: channels, patterns: patterns)
    }

    /// The channels subscribed to (or being subscribed to).
    public var channels: Set<String> { loop.subscriptions.channels }

    /// The patterns subscribed to (or being subscribed to).
    public var patterns: Set<String> { loop.subscriptions.patterns }

    /// Whether the subscriber has a connection right now; false while it
    /// reconnects (messages published meanwhile are lost) and after `close()`.
    public var isConnected: Bool { loop.isConnected }

    /// Which of its connections the subscriber has now (1 for the first, and one more for each
    /// reconnection), or nil while it has none. A message published while the number changed
    /// may have been lost: a consumer that must not miss one reloads what it holds when the
    /// number differs from the one it loaded under.
    public var connectionNumber: Int? { loop.connectionNumber }

    /// Unsubscribes by closing the connection, finishes `messages` and waits
    /// for the thread to exit. Pending `subscribe` calls throw
    /// `.connectionClosed`.
    public func close() async {
        await loop.stop()
    }
}
