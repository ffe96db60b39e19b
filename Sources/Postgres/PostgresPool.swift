import Synchronization

/// A bounded pool of PostgreSQL connections shared by the whole process.
///
/// The rules (how many connections, who waits, when to open, close or ping one) are
/// `PoolStateMachine`'s; this class carries out its actions: it opens and closes connections,
/// resumes the callers waiting for them, pings idle ones, and runs the one timer the machine
/// asks for.
///
/// Connections open lazily, up to `maxConnections` (`minConnections` stay open from the
/// start); they are non-blocking sockets watched by the shared `PostgresEventLoop`s, so the pool
/// size costs no threads. When all are busy, callers queue in order and give up with
/// `PostgresError.checkoutTimeout` after `checkoutTimeout`. Connections idle longer than
/// `idleTimeout` close down to `minConnections`, and idle ones are pinged every
/// `healthCheckInterval` (a ping that fails closes the connection). A connection whose session
/// ended while idle (server restart, `pg_terminate_backend`) reconnects transparently at its next
/// checkout; a session lost during a statement surfaces `PostgresError.connectionLost` (the
/// statement may or may not have run, so it is not retried) and reconnects at the next checkout.
/// When the database cannot be reached and no connection is left, waiting callers fail at once
/// with `PostgresError.connectFailed`, and further opens back off.
///
/// A lock, not an actor: checkout and check-in are a few instructions under the lock, and
/// callers' closures run in their own isolation instead of hopping onto a pool actor.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    public let maxConnections: Int
    public let checkoutTimeout: Duration
    let state: Mutex<State>
    /// Where the pool's state machine counts time from.
    let origin = ContinuousClock.now

    /// `idleTimeout` and `healthCheckInterval`: nil turns them off.
    public init(
        configuration: PostgresConfiguration, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10),
        minConnections: Int = 0, idleTimeout: Duration? = .seconds(60), healthCheckInterval: Duration? = .seconds(30)
    ) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        precondition(minConnections >= 0 && minConnections <= maxConnections, "minConnections must be in 0...maxConnections")
        self.configuration = configuration
        self.maxConnections = maxConnections
        self.checkoutTimeout = checkoutTimeout
        var rules = Machine.Configuration()
        rules.minConnections = minConnections
        rules.maxConnections = maxConnections
        rules.checkoutTimeout = checkoutTimeout
        rules.idleTimeout = idleTimeout
        rules.healthCheckInterval = healthCheckInterval
        rules.sharingLimit = Self.sharingLimit
        state = Mutex(State(machine: Machine(configuration: rules)))
        if minConnections > 0 { handle { $0.machine.start(now: now) } }
    }

    public convenience init(
        url: String, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10), minConnections: Int = 0,
        idleTimeout: Duration? = .seconds(60), healthCheckInterval: Duration? = .seconds(30)
    ) throws {
        self.init(
            configuration: try PostgresConfiguration(url: url), maxConnections: maxConnections,
            checkoutTimeout: checkoutTimeout, minConnections: minConnections, idleTimeout: idleTimeout,
            healthCheckInterval: healthCheckInterval)
    }

    /// Lends `body` a connection for its duration. The connection comes back
    /// clean: an open transaction is rolled back.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let lease = try await lease(.exclusive)
        do {
            let value = try await body(lease.connection)
            release(lease)
            return value
        } catch {
            release(lease)
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
        let requests = try PostgresConnection.requests(queries, prepared: configuration.usePreparedStatements)
        return try await withSharedConnection { try await $0.run(requests, cancellable: false) }
    }

    /// Like `results(pipelining:)`, but throws the first statement's error,
    /// and sends the statements with one `Sync` (see
    /// `PostgresConnection.query(pipelining:)`): after one fails the rest do
    /// not run, and a write before it is undone.
    public func query(pipelining queries: [PostgresQuery]) async throws -> [PostgresRows] {
        let requests = try PostgresConnection.requests(queries, prepared: configuration.usePreparedStatements)
        return try await withSharedConnection { try await $0.run(requests, cancellable: false, grouped: true) }.map { try $0.get() }
    }

    /// Runs an SQL script (simple protocol, no parameters) on any free connection.
    @discardableResult
    public func execute(_ script: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.execute(script) }
    }

    /// Closes idle connections, fails queued callers with `.poolClosed`, and
    /// closes busy connections as they come back.
    public func close() async {
        handle { $0.machine.shutdown() }
    }

    public struct Statistics: Sendable, Hashable {
        /// Connections open or opening, busy (lent, or shared by single
        /// statements), idle, or being pinged.
        public var open: Int
        public var idle: Int
        /// Callers queued for a connection.
        public var waiting: Int
        /// Connections lent to callers (or shared by single statements).
        public var leased: Int
    }

    public var statistics: Statistics {
        let statistics = state.withLock { $0.machine.statistics }
        return Statistics(open: statistics.open, idle: statistics.idle, waiting: statistics.waiting, leased: statistics.leased)
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
        let lease = try await lease(.shared)
        do {
            let value = try await body(lease.connection)
            release(lease)
            return value
        } catch {
            release(lease)
            throw error
        }
    }
}
