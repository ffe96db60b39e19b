import CLibPQ
import Foundation
import Synchronization

/// One PostgreSQL session (a libpq `PGconn`) on a non-blocking socket.
///
/// No thread of its own and no blocking call: a caller's task sends its
/// statements itself (libpq in non-blocking pipeline mode only appends to a
/// buffer and writes what the socket takes) and suspends; one of the shared
/// `PostgresEventLoop`s reads the answers when the socket is readable and
/// resumes it. Statements sent while others are in flight are pipelined
/// behind them, each followed by its own `Sync`: they share round trips, and
/// one that fails does not abort the others (outside an explicit transaction
/// each is its own implicit transaction).
///
/// The pool lends a connection to one task at a time, so statements inside a
/// transaction never mix with another caller's. Calls from two tasks at once
/// are still safe: their statements are pipelined in the order sent.
///
/// `@unchecked Sendable`: the libpq handle and the pipeline bookkeeping are
/// guarded by `lock`, taken by callers while sending and by the event loop
/// while reading (libpq needs a `PGconn` used by one thread at a time).
public final class PostgresConnection: @unchecked Sendable {
    public let configuration: PostgresConfiguration
    let loop: PostgresEventLoop
    let lock = NSLock()
    private let savepointCounter = Mutex(0)

    // Guarded by `lock`.
    var handle: OpaquePointer?
    /// The loop registration of the current socket.
    var token: UInt64?
    var tokenDescriptor: Int32 = -1
    /// Set once the session is gone (lost socket, terminated backend); a
    /// reconnect on the next check-out revives the connection.
    var broken = false
    var closed = false
    /// Set on check-in: the next use first checks the socket for a
    /// termination notice and reconnects when the session is gone.
    var verifyOnNextUse = false
    var pipelineMode = false
    /// The socket has output libpq could not write yet.
    var writing = false
    /// What libpq will return, in order: a prepare's result, a statement's, a
    /// `Sync`'s, a script's results.
    var inFlight = FIFOQueue<Expected>()
    /// Whether the head of `inFlight` has had its result (the NULL after it
    /// ends it).
    var headHasResult = false
    /// Statements that wait for the pipeline to drain: a script, and
    /// everything sent after one.
    var blocked: [StatementRun] = []
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    var statements: [StatementKey: PreparedStatement] = [:]
    var statementCounter = 0
    var connecting: ConnectAttempt?
    /// Non-nil while a reconnect runs: who waits for it.
    var reopenWaiters: [CheckedContinuation<Void, any Error>]?
    var cancelsInProgress = 0
    var cancelWaiters: [CheckedContinuation<Void, Never>] = []

    /// Past this many cached prepared statements the cache is flushed, so
    /// code that builds SQL dynamically cannot grow server memory unbounded.
    static let statementCacheLimit = 256

    private init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        loop = PostgresEventLoop.next()
    }

    deinit {
        if let token { loop.remove(token) }
        if let handle { PQfinish(handle) }
        if let connecting { PQfinish(connecting.handle) }
    }

    /// Opens a connection; throws `PostgresError.connectFailed` with libpq's
    /// reason (never the password).
    public static func connect(_ configuration: PostgresConfiguration) async throws -> PostgresConnection {
        let connection = PostgresConnection(configuration: configuration)
        try await connection.open()
        return connection
    }

    public static func connect(url: String) async throws -> PostgresConnection {
        try await connect(PostgresConfiguration(url: url))
    }

    /// Runs a statement; interpolated values are bound as parameters.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await self.query(query.sql, query.binds)
    }

    /// Runs a statement with `$1`, `$2`... bound to `binds` (text format).
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresBindable]) async throws -> PostgresRows {
        try await run([Self.request(sql, binds, prepared: configuration.usePreparedStatements)])[0].get()
    }

    /// What `run` takes for one statement.
    static func request(_ sql: String, _ binds: [any PostgresBindable], prepared: Bool) throws -> Request {
        (prepared ? .prepared : .unnamed, sql, try EncodedParameters(binds))
    }

    typealias Request = (StatementRun.Kind, String, EncodedParameters)

    /// `queries` as requests, prepared or not as the configuration says.
    static func requests(_ queries: [PostgresQuery], prepared: Bool) throws -> [Request] {
        try queries.map { try request($0.sql, $0.binds, prepared: prepared) }
    }

    /// Sends every statement at once and waits for all: one round trip for
    /// statements that do not depend on each other (a count and a page).
    /// Each runs on its own, as if sent alone: one failing does not stop the
    /// others (inside a transaction the server's own rule still applies: after
    /// an error the rest fail until rollback). Returns each one's rows or error,
    /// in order.
    public func results(pipelining queries: [PostgresQuery]) async throws -> [Result<PostgresRows, PostgresError>] {
        try await run(Self.requests(queries, prepared: configuration.usePreparedStatements))
    }

    /// Like `results(pipelining:)`, but throws the first statement's error,
    /// and sends the statements with one `Sync` (one write to the socket
    /// instead of one per statement): they share an implicit transaction, so
    /// after one fails the rest do not run and a write before it is undone
    /// (inside a transaction of the caller's, its rules apply as ever).
    public func query(pipelining queries: [PostgresQuery]) async throws -> [PostgresRows] {
        try await run(Self.requests(queries, prepared: configuration.usePreparedStatements), grouped: true).map { try $0.get() }
    }

    /// Runs one or more `;`-separated statements with the simple query
    /// protocol (migrations, DDL scripts) and returns the last one's rows.
    /// Takes no parameters: interpolating a value throws `.encoding`.
    @discardableResult
    public func execute(_ script: PostgresQuery) async throws -> PostgresRows {
        guard script.binds.isEmpty else {
            throw PostgresError.encoding("execute runs SQL scripts without parameters; use query to bind values")
        }
        return try await run([(.script, script.sql, .empty)])[0].get()
    }

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` when it returns,
    /// `ROLLBACK` when it throws (the error is rethrown). Called inside
    /// another transaction it uses a savepoint instead, and `options` do not
    /// apply. A `COMMIT` the server turns into a rollback (because a statement
    /// failed and the body swallowed the error) throws 25P02 rather than
    /// pretending the work was saved.
    @discardableResult
    public func transaction<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ options: PostgresTransactionOptions = .init(),
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let savepointNumber = savepointCounter.withLock { counter -> Int in
            counter += 1
            return counter
        }
        let savepoint = try await begin(options, savepointNumber: savepointNumber)
        let value: T
        do {
            value = try await body(self)
        } catch {
            await rollback(to: savepoint)
            throw error
        }
        do {
            try await commit(savepoint)
        } catch {
            await rollback(to: savepoint)
            throw error
        }
        return value
    }

    /// Closes the session. Later calls throw `.connectionClosed`; a pool
    /// that gets a closed connection back drops it and opens a new one when
    /// needed.
    public func close() async {
        closeSoon()
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { locked { closed } }

    /// Closes without waiting: statements in flight fail with
    /// `.connectionClosed`, and libpq's goodbye message goes out without
    /// blocking.
    func closeSoon() {
        let wakeups = locked { () -> Wakeups in
            closed = true
            var wakeups = failEverything(.connectionClosed)
            abandonConnect(&wakeups)
            dropSession()
            return wakeups
        }
        wakeups.resume()
    }

    /// Makes a returned connection clean for its next user: rolls back a
    /// transaction left open, and arranges a liveness check before the next
    /// statement. The rollback is pipelined, so it runs before anything the
    /// next user sends.
    func prepareForReuse() {
        let wakeups = locked { () -> Wakeups in
            verifyOnNextUse = true
            guard let handle, !broken, inFlight.isEmpty, blocked.isEmpty,
                PQtransactionStatus(handle) != PQTRANS_IDLE
            else { return Wakeups() }
            // The connection's own statement: nobody waits for its result.
            return submit([StatementRun(kind: .unnamed, sql: "ROLLBACK", parameters: .empty, waiter: nil, index: 0)])
        }
        wakeups.resume()
    }

    // MARK: - Transactions

    private func begin(_ options: PostgresTransactionOptions, savepointNumber: Int) async throws -> String? {
        if try await transactionStatus() == PQTRANS_IDLE {
            try await control(options.beginStatement)
            return nil
        }
        let savepoint = "tx_savepoint_\(savepointNumber)"
        try await control("SAVEPOINT \(savepoint)")
        return savepoint
    }

    private func commit(_ savepoint: String?) async throws {
        if let savepoint {
            try await control("RELEASE SAVEPOINT \(savepoint)")
            return
        }
        if try await control("COMMIT").commandTag == "ROLLBACK" {
            throw PostgresError.server(
                sqlState: "25P02",
                message: "the transaction was rolled back instead of committed because a statement in it failed")
        }
    }

    private func rollback(to savepoint: String?) async {
        guard let status = try? await transactionStatus(), status != PQTRANS_IDLE else { return }
        if let savepoint {
            _ = try? await run(
                [
                    (.unnamed, "ROLLBACK TO SAVEPOINT \(savepoint)", .empty),
                    (.unnamed, "RELEASE SAVEPOINT \(savepoint)", .empty),
                ], cancellable: false)
        } else {
            _ = try? await control("ROLLBACK")
        }
    }

    /// A transaction-control statement: unnamed, so it does not fill the
    /// statement cache, and never cancelled (a cancelled body still rolls
    /// back).
    @discardableResult
    private func control(_ sql: String) async throws -> PostgresRows {
        try await run([(.unnamed, sql, .empty)], cancellable: false)[0].get()
    }

    /// The session's transaction state once nothing is in flight (libpq
    /// reports "active" while results are pending).
    private func transactionStatus() async throws -> PGTransactionStatusType {
        try await reconnectIfNeeded()
        await waitUntilIdle()
        return try locked {
            guard let handle, !broken else { throw closed ? PostgresError.connectionClosed : .connectionLost }
            return PQtransactionStatus(handle)
        }
    }

    // MARK: - Running statements

    /// Sends the statements and waits for all their results. When
    /// `cancellable`, a cancelled task stops them on the server (the
    /// connection stays usable: the results, or the cancel's error, are still
    /// read in order). A connection the pool shares between callers is not:
    /// the server cancels whatever runs, which may be another caller's.
    ///
    /// A caller on a NIO event loop (every request task of the server) hands
    /// the statements to libpq at the end of the loop's tick, after the tasks
    /// queued before it: the PostgreSQL sessions are woken by one burst of
    /// writes per tick instead of one in the middle of each request's work,
    /// each wakeup preempting the loop on a machine where the server and the
    /// database share cores. Measured (release, wrk -t2 -c64, cache off,
    /// medians of five alternated runs, 2 cores): uncached item read 13,018
    /// against 11,998 requests/s, the list route 4,666 against 4,211 (three
    /// runs); pgbench on the item's two statements 26,485 tps in the same
    /// runs.
    func run(_ requests: [Request], cancellable: Bool = true, grouped: Bool = false) async throws -> ResultsWaiter.Results {
        try await reconnectIfNeeded()
        let waiter = ResultsWaiter(count: requests.count)
        let runs = requests.enumerated().map { index, request in
            StatementRun(kind: request.0, sql: request.1, parameters: request.2, waiter: waiter, index: index)
        }
        let results = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if let home = waiter.home {
                    home.execute { self.submit(runs, grouped: grouped, to: waiter, resuming: continuation, cancellable: cancellable) }
                } else {
                    submit(runs, grouped: grouped, to: waiter, resuming: continuation, cancellable: cancellable)
                }
            }
        } onCancel: {
            if cancellable {
                locked { waiter.cancelled = true }
                cancelRunningStatement()
            }
        }
        // A cancel request still on its way could hit the next user's
        // statement: wait until the server has taken it.
        await waitForCancels()
        return results
    }

    private func submit(
        _ runs: [StatementRun], grouped: Bool, to waiter: ResultsWaiter,
        resuming continuation: CheckedContinuation<ResultsWaiter.Results, Never>, cancellable: Bool
    ) {
        // Cancelled before it was sent (the handler has run already, with
        // nothing in flight to stop): it is not sent at all. Sending it and
        // then a cancel request would race, as PostgreSQL ignores a cancel
        // that arrives before it has read the statement. A cancel after this
        // point finds the statement in flight.
        let wakeups = locked { () -> Wakeups? in
            if cancellable, waiter.cancelled { return nil }
            waiter.continuation = continuation
            return submit(runs, grouped: grouped)
        }
        guard let wakeups else {
            continuation.resume(returning: runs.map { _ in .failure(.queryCanceled) })
            return
        }
        wakeups.resume()
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
