import API
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// Item notifications across instances: a change publishes to one Redis channel; every instance
/// subscribes to it and hands each message to the WebSockets its owner has open there.
///
/// Redis publish/subscribe delivers at most once and only to connected subscribers, so a message
/// published while an instance is cut off from Redis is lost for its sockets; notifications are
/// hints to refetch, not a log. Publishing never fails a request: the change is already
/// committed, so a failed publish is logged and dropped.
public final class NotificationHub: Service, Sendable {
    let pool: RedisClient
    let configuration: RedisConfiguration
    let channel: String
    let logger: Logger
    private let sockets = Mutex([UUID: [UUID: AsyncStream<ItemNotification>.Continuation]]())

    public init(pool: RedisClient, configuration: RedisConfiguration, keys: RedisKeys, logger: Logger) {
        self.pool = pool
        self.configuration = configuration
        self.channel = keys.notificationsChannel
        self.logger = logger
    }

    public func publish(_ notification: ItemNotification) async {
        do {
            _ = try await pool.publish(channel, try WireJSON.encode(notification))
        } catch {
            logger.warning(
                "notification not published",
                metadata: ["event": "\(notification.event.rawValue)", "item": "\(notification.itemId)", "error": "\(error)"])
        }
    }

    /// A stream of the notifications for `userID` on this instance, until the caller stops
    /// iterating it. A slow socket keeps only the newest messages rather than growing memory.
    public func notifications(for userID: UUID) -> AsyncStream<ItemNotification> {
        let (stream, continuation) = AsyncStream.makeStream(of: ItemNotification.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        sockets.withLock { $0[userID, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.sockets.withLock { sockets in
                sockets[userID]?[id] = nil
                if sockets[userID]?.isEmpty == true { sockets[userID] = nil }
            }
        }
        return stream
    }

    /// Subscribes (retrying while Redis is down) and dispatches until graceful shutdown.
    public func run() async throws {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let subscriber: RedisSubscriber
            do {
                subscriber = try await RedisSubscriber.connect(configuration, channels: [channel])
            } catch {
                logger.warning("notifications: cannot subscribe, retrying", metadata: ["error": "\(error)", "retry": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
                continue
            }
            delay = .milliseconds(100)
            await withGracefulShutdownHandler {
                for await message in subscriber.messages { dispatch(message) }
            } onGracefulShutdown: {
                Task { await subscriber.close() }
            }
            await subscriber.close()
        }
        finishAll()
    }

    private func dispatch(_ message: RedisMessage) {
        guard let notification = try? WireJSON.decode(ItemNotification.self, from: message.payload) else {
            logger.warning("notifications: undecodable message dropped", metadata: ["bytes": "\(message.payload.count)"])
            return
        }
        let targets = sockets.withLock { Array(($0[notification.ownerId] ?? [:]).values) }
        for continuation in targets { continuation.yield(notification) }
    }

    private func finishAll() {
        let all = sockets.withLock { sockets in
            defer { sockets = [:] }
            return sockets.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }
}
