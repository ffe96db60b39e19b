import Synchronization

/// A bounded pool of PostgreSQL connections shared by the whole process.
///
/// Connections open lazily, up to `maxConnections`; they are non-blocking
/// sockets watched by the shared `PostgresEventLoop`s, so the pool size costs
/// no threads. When all are busy, callers queue in order and give up with
/// `PostgresError.checkoutTimeout` after `checkoutTimeout`. A connection
/// whose session ended while idle (server restart, `pg_terminate_backend`)
/// reconnects transparently at its next checkout; a session lost during a
/// statement surfaces `PostgresError.connectionLost` (the statement may or may
/// not have run, so it is not retried) and reconnects at the next checkout.
///
/// A lock, not an actor: checkout and check-in are a few instructions under
/// the lock, and callers' closures run in their own isolation instead of
/// hopping onto a pool actor.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    public let maxConnections: Int
    public let checkoutTimeout: Duration
    private let state = Mutex(State())

    public init(configuration: PostgresConfiguration, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10)) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.checkoutTimeout = checkoutTimeout
    }

    public convenience init(url: String, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10)) throws {
        self.init(
            configuration: try PostgresConfiguration(url: url), maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout)
    }

    /// Lends `body` a connection for its duration. The connection comes back
    /// clean: an open transaction is rolled back.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
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

    /// Runs `body` in a transaction on one connection (see
    /// `PostgresConnection.transaction`): committed when it returns, rolled
    /// back when it throws.
    @discardableResult
    public func transaction<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ options: PostgresTransactionOptions = .init(),
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection(isolation: isolation) { connection in
            try await connection.transaction(isolation: isolation, options, body)
        }
    }

    /// Runs one statement on a free connection, or pipelined behind other
    /// single statements on a busy one (see `withSharedConnection`).
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await self.query(query.sql, query.binds)
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresBindable]) async throws -> PostgresRows {
        let request = try PostgresConnection.request(sql, binds, prepared: configuration.usePreparedStatements)
        return try await withSharedConnection { try await $0.run([request], cancellable: false)[0].get() }
    }

    /// Runs statements that do not depend on each other in one round trip
    /// (see `PostgresConnection.results(pipelining:)`): each one's rows or
    /// error, in order.
    public func results(pipelining queries: [PostgresQuery]) async throws -> [Result<PostgresRows, PostgresError>] {
        let requests = try queries.map {
            try PostgresConnection.request($0.sql, $0.binds, prepared: configuration.usePreparedStatements)
        }
        return try await withSharedConnection { try await $0.run(requests, cancellable: false) }
    }

    /// Like `results(pipelining:)`, but throws the first statement's error.
    public func query(pipelining queries: [PostgresQuery]) async throws -> [PostgresRows] {
        try await results(pipelining: queries).map { try $0.get() }
    }

    /// Runs an SQL script (simple protocol, no parameters) on any free connection.
    @discardableResult
    public func execute(_ script: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.execute(script) }
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
            waiter.continuation.resume(throwing: PostgresError.poolClosed)
        }
        for connection in idle { await connection.close() }
    }

    public struct Statistics: Sendable, Hashable {
        /// Connections open or opening, busy (lent, or shared by single
        /// statements) or idle.
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
        case connection(PostgresConnection)
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
        var idle: [PostgresConnection] = []
        /// Connections open, being opened, or lent out; never above `maxConnections`.
        var open = 0
        var waiters: [Waiter] = []
        /// Connections lent to single statements, with how many use each.
        var shared: [(connection: PostgresConnection, users: Int)] = []
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    func checkout() async throws -> PostgresConnection {
        enum Step {
            case use(PostgresConnection)
            case create
            case wait
        }
        let step = try state.withLock { state -> Step in
            if state.closed { throw PostgresError.poolClosed }
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

    func checkin(_ connection: PostgresConnection) {
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

    /// How many single statements (or pipelines of them) one connection
    /// carries at once before another caller waits instead.
    static let sharingLimit = 32

    /// Lends `body` a connection for one statement (or one pipeline of
    /// independent statements) that opens no transaction, so callers can
    /// share it: a free connection when there is one, else a new one, else
    /// the least busy connection already carrying single statements, where
    /// the statement is pipelined behind theirs (one round trip carries
    /// several callers' work, and no caller waits for a whole connection).
    /// Callers waiting for an exclusive connection go first: sharing starts
    /// only when nobody waits.
    private func withSharedConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let step = try state.withLock { state -> SharedStep in
            if state.closed { throw PostgresError.poolClosed }
            if let connection = state.idle.popLast() {
                state.shared.append((connection, 1))
                return .use(connection)
            }
            if state.open < maxConnections {
                state.open += 1
                return .create
            }
            if state.waiters.isEmpty, let index = state.shared.indices.min(by: { state.shared[$0].users < state.shared[$1].users }),
                state.shared[index].users < Self.sharingLimit
            {
                state.shared[index].users += 1
                return .use(state.shared[index].connection)
            }
            return .wait
        }
        let connection: PostgresConnection
        switch step {
        case .use(let shared):
            connection = shared
        case .create, .wait:
            if case .create = step {
                connection = try await openConnection()
            } else {
                switch try await waitForLease() {
                case .connection(let lent): connection = lent
                case .create: connection = try await openConnection()
                }
            }
            state.withLock { $0.shared.append((connection, 1)) }
        }
        do {
            let value = try await body(connection)
            releaseShared(connection)
            return value
        } catch {
            releaseShared(connection)
            throw error
        }
    }

    private enum SharedStep {
        case use(PostgresConnection)
        case create
        case wait
    }

    /// One sharer is done; the last one checks the connection in.
    private func releaseShared(_ connection: PostgresConnection) {
        let last = state.withLock { state -> Bool in
            guard let index = state.shared.firstIndex(where: { $0.connection === connection }) else { return true }
            state.shared[index].users -= 1
            guard state.shared[index].users == 0 else { return false }
            state.shared.remove(at: index)
            return true
        }
        if last { checkin(connection) }
    }

    /// Opens a connection in a slot already counted in `open`.
    private func openConnection() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration)
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
                    if state.closed { return PostgresError.poolClosed }
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
                    self?.failWaiter(id, with: PostgresError.checkoutTimeout)
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
