import Synchronization

/// A bounded pool of Redis connections shared by the whole process.
///
/// Connections open lazily, up to `maxConnections`; each has its own thread
/// for hiredis's blocking calls, so the pool size also bounds those threads.
/// When all are busy, callers queue in order and give up with
/// `RedisError.checkoutTimeout` after `checkoutTimeout`. A connection whose
/// socket died while idle (server restart, `CLIENT KILL`, idle timeout)
/// reconnects transparently at its next checkout; a connection lost during a
/// command surfaces `RedisError.connectionLost` (the command may or may not
/// have run, so it is not retried) and reconnects at the next checkout. While
/// the server is down, checkouts fail with `RedisError.connectFailed`.
///
/// A lock, not an actor: checkout and check-in are a few instructions under
/// the lock, and callers' closures run in their own isolation instead of
/// hopping onto a pool actor.
public final class RedisPool: Sendable {
    public let configuration: RedisConfiguration
    public let maxConnections: Int
    public let checkoutTimeout: Duration
    private let state = Mutex(State())

    public init(configuration: RedisConfiguration, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10)) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.checkoutTimeout = checkoutTimeout
    }

    public convenience init(url: String, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10)) throws {
        self.init(
            configuration: try RedisConfiguration(url: url), maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout)
    }

    /// Lends `body` a connection for its duration, for several commands in a
    /// row (`WATCH`/`MULTI`/`EXEC`). The connection comes back clean: an open
    /// `MULTI` is discarded, `WATCH`es dropped, the database re-selected.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RedisConnection) async throws -> T
    ) async throws -> T {
        let connection = try await checkout()
        do {
            let value = try await body(connection)
            checkin(connection)
            return value
        } catch {
            checkin(connection)
            throw error
        }
    }

    /// Runs one command on any free connection (see `RedisConnection.send`).
    @discardableResult
    public func send(_ arguments: [any RedisArgument]) async throws -> RedisReply {
        try await withConnection { try await $0.send(arguments) }
    }

    /// Runs several commands in one round trip on one connection (see
    /// `RedisConnection.pipeline`): one result per command, in order.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws -> [Result<RedisReply, RedisError>] {
        try await withConnection { try await $0.pipeline(commands) }
    }

    /// Checks that the server answers (for a readiness probe).
    public func ping() async throws {
        try await withConnection { try await $0.ping() }
    }

    /// Publishes `message` on `channel`; returns how many subscribers got it.
    @discardableResult
    public func publish(_ channel: String, _ message: any RedisArgument) async throws -> Int {
        try await withConnection { try await $0.publish(channel, message) }
    }

    /// Runs a Lua script, `EVALSHA` first and `EVAL` when the server does
    /// not know it (see `RedisConnection.evaluate`).
    @discardableResult
    public func evaluate(
        _ script: RedisScript, keys: [String] = [], arguments: [any RedisArgument] = []
    ) async throws -> RedisReply {
        try await withConnection { try await $0.evaluate(script, keys: keys, arguments: arguments) }
    }

    /// Closes idle connections, fails queued callers with `.poolClosed`, and
    /// closes busy connections as they come back.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            let idle = state.idle
            state.idle = []
            state.open -= idle.count
            let waiters = state.waiters
            state.waiters = []
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.timeout?.cancel()
            waiter.continuation.resume(throwing: RedisError.poolClosed)
        }
        for connection in idle { await connection.close() }
    }

    public struct Statistics: Sendable, Hashable {
        /// Connections open or opening, busy or idle.
        public var open: Int
        public var idle: Int
        /// Callers queued for a connection.
        public var waiting: Int
    }

    public var statistics: Statistics {
        state.withLock { Statistics(open: $0.open, idle: $0.idle.count, waiting: $0.waiters.count) }
    }

    // MARK: - Checkout

    private enum Lease: Sendable {
        /// A connection handed over by `checkin`.
        case connection(RedisConnection)
        /// A free slot: open a new connection in it.
        case create
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Lease, any Error>
        var timeout: Task<Void, Never>?
    }

    private struct State {
        /// Most recently used last: reusing warm connections lets the
        /// surplus ones age out on the server side instead of all staying busy.
        var idle: [RedisConnection] = []
        /// Connections open, being opened, or lent out; never above `maxConnections`.
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    func checkout() async throws -> RedisConnection {
        enum Step {
            case use(RedisConnection)
            case create
            case wait
        }
        let step = try state.withLock { state -> Step in
            if state.closed { throw RedisError.poolClosed }
            if let connection = state.idle.popLast() { return .use(connection) }
            if state.open < maxConnections {
                state.open += 1
                return .create
            }
            return .wait
        }
        switch step {
        case .use(let connection):
            return connection
        case .create:
            return try await openConnection()
        case .wait:
            switch try await waitForLease() {
            case .connection(let connection): return connection
            case .create: return try await openConnection()
            }
        }
    }

    func checkin(_ connection: RedisConnection) {
        if connection.isClosed {
            // The borrower closed it: its slot goes to a new connection.
            releaseSlot()
            return
        }
        connection.prepareForReuse()
        let (waiter, close) = state.withLock { state -> (Waiter?, Bool) in
            if state.closed {
                state.open -= 1
                return (nil, true)
            }
            if !state.waiters.isEmpty { return (state.waiters.removeFirst(), false) }
            state.idle.append(connection)
            return (nil, false)
        }
        if close { connection.closeSoon() }
        if let waiter {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: .connection(connection))
        }
    }

    /// Opens a connection in a slot already counted in `open`.
    private func openConnection() async throws -> RedisConnection {
        do {
            return try await RedisConnection.connect(configuration)
        } catch {
            releaseSlot()
            throw error
        }
    }

    /// A slot's connection failed to open or was closed: pass the slot to the
    /// first waiter (which opens its own) or free it.
    private func releaseSlot() {
        let waiter = state.withLock { state -> Waiter? in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.open -= 1
            return nil
        }
        if let waiter {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: .create)
        }
    }

    /// Queues until `checkin` or `releaseSlot` hands over a lease, the
    /// checkout timeout passes, or the task is cancelled. Every path removes
    /// the waiter under the lock before resuming it, so it resumes once.
    private func waitForLease() async throws -> Lease {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let refusal = state.withLock { state -> (any Error)? in
                    if state.closed { return RedisError.poolClosed }
                    // Checked under the lock: a cancellation that lands after
                    // this finds the waiter queued and fails it in `onCancel`.
                    if Task.isCancelled { return CancellationError() }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let refusal {
                    continuation.resume(throwing: refusal)
                    return
                }
                let timeout = checkoutTimeout
                let timer = Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    self?.failWaiter(id, with: RedisError.checkoutTimeout)
                }
                let attached = state.withLock { state -> Bool in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
                    state.waiters[index].timeout = timer
                    return true
                }
                if !attached { timer.cancel() }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError())
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        guard let waiter else { return }
        waiter.timeout?.cancel()
        waiter.continuation.resume(throwing: error)
    }
}
