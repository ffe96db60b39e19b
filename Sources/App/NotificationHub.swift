import API
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// Item notifications across instances: a change publishes to one Redis channel; every instance
/// subscribes to it and hands each message to the WebSockets its owner has open there.
///
/// Revocations travel the same way on a second channel: logout, logout-all, a password reset,
/// deactivation and deletion publish a `SocketRevocation`, and every instance closes the
/// matching sockets with the revocation's close code. The instance that revokes also closes its
/// own sockets at once, without waiting for Redis.
///
/// Redis publish/subscribe delivers at most once and only to connected subscribers, so a message
/// published while an instance is cut off from Redis is lost for its sockets; notifications are
/// hints to refetch, not a log. Publishing never fails a request: the change is already
/// committed, so a failed publish is logged and dropped.
public final class NotificationHub: Service, Sendable {
    let pool: RedisClient
    let configuration: RedisConfiguration
    let channel: String
    let revocationsChannel: String
    /// Fed from the same subscription, on `tokenRevocationsChannel`: see `RevocationList`.
    let tokenRevocations: RevocationList
    let tokenRevocationsChannel: String
    let logger: Logger
    private let sockets = Mutex([UUID: [UUID: Socket]]())

    /// What a socket is sent: a notification, or the end of its credentials.
    public enum Event: Sendable {
        case notification(ItemNotification)
        case revoked(SocketRevocation.Reason)
    }

    private struct Socket {
        var sessionID: String?
        var tokenID: String?
        var continuation: AsyncStream<Event>.Continuation
    }

    public init(
        pool: RedisClient, configuration: RedisConfiguration, keys: RedisKeys, tokenRevocations: RevocationList, logger: Logger
    ) {
        self.pool = pool
        self.configuration = configuration
        self.channel = keys.notificationsChannel
        self.revocationsChannel = keys.socketRevocationsChannel
        self.tokenRevocations = tokenRevocations
        self.tokenRevocationsChannel = keys.tokenRevocationsChannel
        self.logger = logger
    }

    public func publish(_ notification: ItemNotification) async {
        do {
            _ = try await pool.publish(channel, WireJSON.encode(notification))
        } catch {
            logger.warning(
                "notification not published",
                metadata: ["event": "\(notification.event.rawValue)", "item": "\(notification.itemId)", "error": "\(error)"])
        }
    }

    /// Closes the matching sockets on every instance: here at once, elsewhere through Redis. A
    /// failed publish is logged: the revocation itself (in the session store) already holds.
    public func revoke(_ revocation: SocketRevocation) async {
        apply(revocation)
        do {
            _ = try await pool.publish(revocationsChannel, try WireJSON.encode(revocation))
        } catch {
            logger.warning(
                "socket revocation not published",
                metadata: ["user": "\(revocation.userID)", "reason": "\(revocation.reason.rawValue)", "error": "\(error)"])
        }
    }

    /// A stream of the events for a socket of `userID` opened with a token of `sessionID` and
    /// id `tokenID` on this instance, until the caller stops iterating it or a revocation ends it
    /// (`.revoked` is then its last element). A slow socket keeps only the newest messages
    /// rather than growing memory.
    public func events(for userID: UUID, sessionID: String?, tokenID: String?) -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        sockets.withLock { $0[userID, default: [:]][id] = Socket(sessionID: sessionID, tokenID: tokenID, continuation: continuation) }
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
                subscriber = try await RedisSubscriber.connect(
                    configuration, channels: [channel, revocationsChannel, tokenRevocationsChannel])
            } catch {
                logger.warning("notifications: cannot subscribe, retrying", metadata: ["error": "\(error)", "retry": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
                continue
            }
            delay = .milliseconds(100)
            tokenRevocations.follow(subscriber)
            await withGracefulShutdownHandler {
                for await message in subscriber.messages { dispatch(message) }
            } onGracefulShutdown: {
                Task { await subscriber.close() }
            }
            tokenRevocations.follow(nil)
            await subscriber.close()
        }
        finishAll()
    }

    private func dispatch(_ message: RedisMessage) {
        if message.channel == tokenRevocationsChannel {
            tokenRevocations.receive(message.payload)
            return
        }
        if message.channel == revocationsChannel {
            guard let revocation = try? WireJSON.decode(SocketRevocation.self, from: message.payload) else {
                logger.warning("socket revocations: undecodable message dropped", metadata: ["bytes": "\(message.payload.count)"])
                return
            }
            apply(revocation)
            return
        }
        // Every instance receives every instance's item events, its own included. With no
        // socket open here there is no one to hand one to, so it is not decoded: that decode
        // was 4% of the server's CPU while creating items (perf, `POST /api/v1/items/`).
        guard sockets.withLock({ !$0.isEmpty }) else { return }
        guard let notification = try? WireJSON.decode(ItemNotification.self, from: message.payload) else {
            logger.warning("notifications: undecodable message dropped", metadata: ["bytes": "\(message.payload.count)"])
            return
        }
        let targets = sockets.withLock { Array(($0[notification.ownerId] ?? [:]).values) }
        for socket in targets { socket.continuation.yield(.notification(notification)) }
    }

    /// Ends the matching sockets of this instance: each gets `.revoked`, then its stream ends.
    private func apply(_ revocation: SocketRevocation) {
        let targets = sockets.withLock { sockets -> [Socket] in
            guard let mine = sockets[revocation.userID] else { return [] }
            let matching = mine.filter { revocation.covers(sessionID: $0.value.sessionID, tokenID: $0.value.tokenID) }
            for id in matching.keys { sockets[revocation.userID]?[id] = nil }
            if sockets[revocation.userID]?.isEmpty == true { sockets[revocation.userID] = nil }
            return Array(matching.values)
        }
        for socket in targets {
            socket.continuation.yield(.revoked(revocation.reason))
            socket.continuation.finish()
        }
    }

    private func finishAll() {
        let all = sockets.withLock { sockets in
            defer { sockets = [:] }
            return sockets.values.flatMap(\.values)
        }
        for socket in all { socket.continuation.finish() }
    }
}
