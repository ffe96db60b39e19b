import Foundation

@testable import Redis

/// Iterates a subscriber's messages in a task of its own and keeps them, so
/// a test can wait for what it expects with a deadline.
final class MessageCollector: Sendable {
    private let received: Locked<[RedisMessage]>
    private let ended: Locked<Bool>
    private let task: Task<Void, Never>

    init(_ subscriber: RedisSubscriber) {
        let received = Locked<[RedisMessage]>([])
        let ended = Locked(false)
        self.received = received
        self.ended = ended
        task = Task {
            for await message in subscriber.messages {
                received.withLock { $0.append(message) }
            }
            ended.withLock { $0 = true }
        }
    }

    var messages: [RedisMessage] { received.withLock { $0 } }

    /// Whether the stream finished.
    var hasEnded: Bool { ended.withLock { $0 } }

    /// Waits until a message satisfies `match`; returns it, or nil after the
    /// timeout.
    func first(
        timeout: Duration = .seconds(30), where match: @escaping (RedisMessage) -> Bool
    ) async -> RedisMessage? {
        _ = await eventually(timeout: timeout) { messages.contains(where: match) }
        return messages.first(where: match)
    }

    func cancel() {
        task.cancel()
    }
}
