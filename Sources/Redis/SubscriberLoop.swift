import Foundation
import Synchronization

/// The thread behind a `RedisSubscriber`: owns its hiredis context, writes
/// (un)subscribe commands, reads pushes, and reconnects.
///
/// The thread sleeps in `poll` on two descriptors: the Redis socket and a
/// pipe that `change` and `requestStop` write a byte to, so new commands and
/// `close()` take effect at once rather than after a read timeout. Reading
/// only what `poll` reports as available also avoids hiredis's blocking read,
/// which marks the context as failed when its timeout expires.
///
/// Confirmations: Redis answers a `SUBSCRIBE a b` with one confirmation per
/// name, in command order, so each written command is a `Batch` that waits for
/// that many confirmations, and a caller waits for its batches.
///
/// `@unchecked Sendable`: `state` is locked; the context lives in `run`'s
/// locals, on the thread only.
final class SubscriberLoop: @unchecked Sendable {
    private let configuration: RedisConfiguration
    private let continuation: AsyncStream<RedisMessage>.Continuation
    private let maxReconnectDelay: Duration
    private let state = Mutex(State())
    private let wakeReader: Int32
    private let wakeWriter: Int32

    private static let firstReconnectDelay = Duration.milliseconds(100)

    private struct Batch {
        var confirmationsLeft: Int
        var waiters: [UInt64]
    }

    private struct Waiter {
        let continuation: CheckedContinuation<Void, any Error>
        let subscribing: Bool
        var batchesLeft: Int
    }

    private struct State {
        var channels: Set<String> = []
        var patterns: Set<String> = []
        /// Commands not yet written, each with its batch.
        var outgoing: [(command: [[UInt8]], batch: Batch)] = []
        /// Written, in order, waiting for confirmations.
        var inFlight: [Batch] = []
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiterID: UInt64 = 0
        var started: CheckedContinuation<Void, any Error>?
        var connected = false
        /// Connections opened so far, the current one included.
        var connections = 0
        var stopping = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    init(
        configuration: RedisConfiguration, continuation: AsyncStream<RedisMessage>.Continuation,
        maxReconnectDelay: Duration
    ) {
        self.configuration = configuration
        self.continuation = continuation
        self.maxReconnectDelay = max(maxReconnectDelay, Self.firstReconnectDelay)
        var descriptors: [Int32] = [-1, -1]
        // Without a pipe there is no way to wake the thread; nothing sensible
        // to recover to (it fails only when out of descriptors).
        precondition(pipe(&descriptors) == 0, "cannot create a pipe: \(String(cString: strerror(errno)))")
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        wakeReader = descriptors[0]
        wakeWriter = descriptors[1]
    }

    var subscriptions: (channels: Set<String>, patterns: Set<String>) {
        state.withLock { ($0.channels, $0.patterns) }
    }

    var isConnected: Bool { state.withLock { $0.connected } }

    var connectionNumber: Int? { state.withLock { $0.connected ? $0.connections : nil } }

    /// Starts the thread; returns once the first connection is open.
    func start() async throws {
        try await withCheckedThrowingContinuation { (started: CheckedContinuation<Void, any Error>) in
            state.withLock { $0.started = started }
            // The thread holds the loop until it exits.
            let thread = Thread { [self] in run() }
            thread.name = "redis-subscriber"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues a (un)subscribe and waits for Redis to confirm it.
    func change(subscribe: Bool, channels: [String], patterns: [String]) async throws {
        let channels = Array(Set(channels)).sorted()
        let patterns = Array(Set(patterns)).sorted()
        guard !channels.isEmpty || !patterns.isEmpty else { return }
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let refused = state.withLock { state -> Bool in
                guard !state.stopping else { return true }
                state.nextWaiterID += 1
                let id = state.nextWaiterID
                var batches = 0
                for (names, verb) in [
                    (channels, subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE"),
                    (patterns, subscribe ? "PSUBSCRIBE" : "PUNSUBSCRIBE"),
                ] where !names.isEmpty {
                    state.outgoing.append(
                        (([verb] + names).map { Array($0.utf8) }, Batch(confirmationsLeft: names.count, waiters: [id])))
                    batches += 1
                }
                if subscribe {
                    state.channels.formUnion(channels)
                    state.patterns.formUnion(patterns)
                } else {
                    state.channels.subtract(channels)
                    state.patterns.subtract(patterns)
                }
                state.waiters[id] = Waiter(continuation: waiter, subscribing: subscribe, batchesLeft: batches)
                wake(state)
                return false
            }
            if refused { waiter.resume(throwing: RedisError.connectionClosed) }
        }
    }

    /// Asks the thread to end, failing pending `change` calls; does not wait.
    func requestStop() {
        let waiters = state.withLock { state -> [Waiter] in
            state.stopping = true
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            wake(state)
            return waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: RedisError.connectionClosed) }
    }

    /// Ends the thread and waits until it has exited.
    func stop() async {
        requestStop()
        await withCheckedContinuation { (exited: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.exited { return true }
                state.exitWaiters.append(exited)
                return false
            }
            if done { exited.resume() }
        }
    }

    /// Called under the lock, so the pipe cannot be closed meanwhile. A full
    /// pipe already guarantees a wake-up.
    private func wake(_ state: State) {
        guard !state.exited else { return }
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    // MARK: - On the thread

    private func run() {
        var context: HiredisContext?
        do {
            context = try HiredisContext.connect(configuration)
            state.withLock { state in
                state.connected = true
                state.connections += 1
                return state.started
            }?.resume()
        } catch {
            state.withLock { $0.started }?.resume(throwing: error)
        }
        while let current = context, !isStopping {
            do {
                try writeOutgoing(current)
                while let reply = try current.bufferedReply() { handle(reply) }
                if waitForInput(socket: current.fileDescriptor, timeout: nil) {
                    try current.receive()
                }
            } catch {
                state.withLock { $0.connected = false }
                context = reconnect()
            }
        }
        context = nil
        finish()
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// Retries with exponential backoff until connected (and subscribed
    /// again) or stopped; nil when stopped.
    private func reconnect() -> HiredisContext? {
        var delay = Self.firstReconnectDelay
        while !isStopping {
            if let fresh = try? HiredisContext.connect(configuration) {
                resubscribe()
                return fresh
            }
            pause(for: delay)
            delay = min(delay * 2, maxReconnectDelay)
        }
        return nil
    }

    private func writeOutgoing(_ context: HiredisContext) throws {
        let outgoing = state.withLock { state -> [[[UInt8]]] in
            let outgoing = state.outgoing
            state.outgoing = []
            state.inFlight.append(contentsOf: outgoing.map(\.batch))
            return outgoing.map(\.command)
        }
        guard !outgoing.isEmpty else { return }
        for command in outgoing { try context.append(command) }
        try context.flush()
    }

    /// A new connection subscribes to everything again. Commands queued or in
    /// flight on the old one are void: pending subscribes are confirmed by
    /// the new subscription instead, pending unsubscribes are done (the new
    /// connection never had them).
    private func resubscribe() {
        let done = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.connected = true
            state.connections += 1
            state.outgoing = []
            state.inFlight = []
            let subscribing = state.waiters.filter { $0.value.subscribing }.keys.sorted()
            for (verb, names) in [("SUBSCRIBE", state.channels), ("PSUBSCRIBE", state.patterns)] where !names.isEmpty {
                state.outgoing.append(
                    (
                        ([verb] + names.sorted()).map { Array($0.utf8) },
                        Batch(confirmationsLeft: names.count, waiters: subscribing)
                    ))
            }
            var done: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in state.waiters {
                if waiter.subscribing && !state.outgoing.isEmpty {
                    state.waiters[id]?.batchesLeft = state.outgoing.count
                } else {
                    done.append(waiter.continuation)
                    state.waiters[id] = nil
                }
            }
            return done
        }
        for waiter in done { waiter.resume() }
    }

    private func handle(_ reply: RedisReply) {
        if case .error(let message) = reply {
            failFirstBatch(with: .server(message))
            return
        }
        guard let elements = reply.array, let kind = elements.first?.string else { return }
        switch (kind, elements.count) {
        case ("message", 3):
            continuation.yield(
                RedisMessage(channel: elements[1].string ?? "", payload: elements[2].bytes ?? []))
        case ("pmessage", 4):
            continuation.yield(
                RedisMessage(
                    channel: elements[2].string ?? "", payload: elements[3].bytes ?? [], pattern: elements[1].string))
        case ("subscribe", _), ("unsubscribe", _), ("psubscribe", _), ("punsubscribe", _):
            confirm()
        default:
            // `pong` and anything newer servers may push.
            break
        }
    }

    private func confirm() {
        let done = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard !state.inFlight.isEmpty else { return [] }
            state.inFlight[0].confirmationsLeft -= 1
            guard state.inFlight[0].confirmationsLeft <= 0 else { return [] }
            let batch = state.inFlight.removeFirst()
            var done: [CheckedContinuation<Void, any Error>] = []
            for id in batch.waiters {
                guard var waiter = state.waiters[id] else { continue }
                waiter.batchesLeft -= 1
                if waiter.batchesLeft <= 0 {
                    done.append(waiter.continuation)
                    state.waiters[id] = nil
                } else {
                    state.waiters[id] = waiter
                }
            }
            return done
        }
        for waiter in done { waiter.resume() }
    }

    private func failFirstBatch(with error: RedisError) {
        let failed = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard !state.inFlight.isEmpty else { return [] }
            return state.inFlight.removeFirst().waiters.compactMap {
                state.waiters.removeValue(forKey: $0)?.continuation
            }
        }
        for waiter in failed { waiter.resume(throwing: error) }
    }

    /// Sleeps until the socket is readable (true) or the pipe is written to
    /// or `timeout` passes (false).
    private func waitForInput(socket: Int32?, timeout: Duration?) -> Bool {
        var descriptors = [pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
        if let socket { descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0)) }
        // Rounded up: a wait rounded down to 0 ms would spin.
        let milliseconds = timeout.map { Int32(clamping: Int64(($0 / .milliseconds(1)).rounded(.up))) } ?? -1
        guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { return false }
        if descriptors[0].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(wakeReader, &buffer, buffer.count) > 0 {}
        }
        return descriptors.count > 1 && descriptors[1].revents != 0
    }

    /// Waits out a reconnect delay; `requestStop` cuts it short.
    private func pause(for delay: Duration) {
        let deadline = ContinuousClock.now + delay
        while !isStopping {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return }
            _ = waitForInput(socket: nil, timeout: left)
        }
    }

    private func finish() {
        let (exitWaiters, waiters) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [Waiter]) in
            state.connected = false
            state.stopping = true
            state.exited = true
            close(wakeReader)
            close(wakeWriter)
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            let exitWaiters = state.exitWaiters
            state.exitWaiters = []
            return (exitWaiters, waiters)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: RedisError.connectionClosed) }
        continuation.finish()
        for waiter in exitWaiters { waiter.resume() }
    }
}
