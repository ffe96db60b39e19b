import CLibPQ
import Foundation
import Synchronization

/// One PostgreSQL session (a libpq `PGconn`).
///
/// Every libpq call runs on the connection's own thread (`ConnectionThread`),
/// so callers only ever suspend, never block. A connection is used by one task
/// at a time: the pool hands it out exclusively; calls from two tasks at once
/// would still run one after the other, but their statements would interleave
/// inside each other's transactions.
///
/// `@unchecked Sendable`: the mutable state below is touched only by jobs on
/// `thread` (which runs them one at a time) and by `deinit` (when no job can
/// be pending, since each job holds a strong reference).
public final class PostgresConnection: @unchecked Sendable {
    public let configuration: PostgresConfiguration
    private let thread: ConnectionThread
    private let savepointCounter = Mutex(0)
    private let closed = Mutex(false)

    // Confined to `thread`.
    private var handle: OpaquePointer?
    private var statements: [StatementKey: String] = [:]
    private var statementCounter = 0
    /// Set on check-in: the next use first checks the socket for a
    /// termination notice and reconnects when the session is gone.
    private var verifyOnNextUse = false

    /// Past this many cached prepared statements the cache is flushed, so
    /// code that builds SQL dynamically cannot grow server memory unbounded.
    static let statementCacheLimit = 256

    private init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        thread = ConnectionThread(name: "postgres-\(configuration.database)")
    }

    deinit {
        if let handle { PQfinish(handle) }
        thread.stop()
    }

    /// Opens a connection; throws `PostgresError.connectFailed` with libpq's
    /// reason (never the password).
    public static func connect(_ configuration: PostgresConfiguration) async throws -> PostgresConnection {
        let connection = PostgresConnection(configuration: configuration)
        try await connection.thread.run { try connection.open() }
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
        let parameters = try EncodedParameters(binds)
        return PostgresRows(try await thread.run { try self.runStatement(sql, parameters) })
    }

    /// Runs one or more `;`-separated statements with the simple query
    /// protocol (migrations, DDL scripts) and returns the last one's rows.
    /// Takes no parameters: interpolating a value throws `.encoding`.
    @discardableResult
    public func execute(_ script: PostgresQuery) async throws -> PostgresRows {
        guard script.binds.isEmpty else {
            throw PostgresError.encoding("execute runs SQL scripts without parameters; use query to bind values")
        }
        let sql = script.sql
        return PostgresRows(try await thread.run { try self.runScript(sql) })
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
        let savepoint = try await thread.run { try self.begin(options, savepointNumber: savepointNumber) }
        let value: T
        do {
            value = try await body(self)
        } catch {
            try? await thread.run { self.rollback(to: savepoint) }
            throw error
        }
        do {
            try await thread.run { try self.commit(savepoint) }
        } catch {
            try? await thread.run { self.rollback(to: savepoint) }
            throw error
        }
        return value
    }

    /// Closes the session. Later calls throw `.connectionClosed`; a pool
    /// that gets a closed connection back drops it and opens a new one when
    /// needed.
    public func close() async {
        closed.withLock { $0 = true }
        try? await thread.run { self.finish() }
        thread.stop()
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { closed.withLock { $0 } }

    /// Closes without waiting (used when a closed pool gets a connection back).
    func closeSoon() {
        closed.withLock { $0 = true }
        thread.submit { self.finish() }
        thread.stop()
    }

    /// Makes a returned connection clean for its next user: rolls back a
    /// transaction left open, and arranges a liveness check before the next
    /// statement. Queued on the connection's thread, so it runs before
    /// anything the next user sends.
    func prepareForReuse() {
        thread.submit {
            self.verifyOnNextUse = true
            guard let handle = self.handle, PQstatus(handle) == CONNECTION_OK else { return }
            if PQtransactionStatus(handle) != PQTRANS_IDLE {
                if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
            }
        }
    }

    // MARK: - On the connection's thread

    private func open() throws {
        let parameters = configuration.connectionParameters()
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            for pointer in keywords { free(pointer) }
            for pointer in values { free(pointer) }
        }
        let connection = (keywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { keywordPointers in
            (values.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 0)
            }
        }
        guard let connection else { throw PostgresError.connectFailed("libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorMessage(connection)
            PQfinish(connection)
            throw PostgresError.connectFailed(configuration.redact(message))
        }
        // libpq prints NOTICEs (`relation already exists, skipping`) to
        // stderr by default; they are not errors and would only add noise.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    private func finish() {
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
    }

    /// The session, checked for liveness after a check-in and re-opened if
    /// the server ended it (restart, `pg_terminate_backend`, idle timeout).
    /// During a checkout a lost session stays lost: reconnecting in the
    /// middle of a transaction would silently run the rest outside it.
    private func usableHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError.connectionClosed }
        if verifyOnNextUse {
            Self.consumeIdleInput(handle)
            if PQstatus(handle) != CONNECTION_OK {
                statements.removeAll()
                PQreset(handle)
                guard PQstatus(handle) == CONNECTION_OK else {
                    throw PostgresError.connectFailed(configuration.redact(Self.errorMessage(handle)))
                }
                PQsetNoticeProcessor(handle, { _, _ in }, nil)
            }
            verifyOnNextUse = false
        } else if PQstatus(handle) != CONNECTION_OK {
            throw PostgresError.connectionLost
        }
        return handle
    }

    /// Reads whatever the server sent while the connection sat idle, without
    /// blocking. A terminated backend sends a FATAL message and then closes
    /// the socket; libpq notices the close only on a read after the one that
    /// returned the message, hence the loop while the socket stays readable.
    private static func consumeIdleInput(_ handle: OpaquePointer) {
        var reads = 0
        while PQstatus(handle) == CONNECTION_OK, reads < 8 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle) == 0 { break }
            reads += 1
        }
        while let notification = PQnotifies(handle) { PQfreemem(notification) }
    }

    private func runStatement(_ sql: String, _ parameters: EncodedParameters) throws -> PostgresResult {
        let handle = try usableHandle()
        let count = Int32(parameters.types.count)
        guard configuration.usePreparedStatements else {
            let raw = parameters.withCValues { values in
                parameters.types.withUnsafeBufferPointer { types in
                    PQexecParams(handle, sql, count, types.baseAddress, values, nil, nil, 0)
                }
            }
            return try check(raw, handle)
        }
        let key = StatementKey(sql: sql, types: parameters.types)
        var retried = false
        while true {
            let name = try preparedStatement(for: key, handle)
            let raw = parameters.withCValues { values in
                PQexecPrepared(handle, name, count, values, nil, nil, 0)
            }
            do {
                return try check(raw, handle)
            } catch PostgresError.server(let sqlState, let message)
                where !retried && PQtransactionStatus(handle) == PQTRANS_IDLE
                && (sqlState == "26000" || (sqlState == "0A000" && message.contains("cached plan")))
            {
                // The statement vanished (DISCARD ALL, DEALLOCATE) or a schema
                // change altered its result columns. Nothing ran and no
                // transaction is open, so preparing it afresh is safe.
                statements[key] = nil
                if let result = PQexec(handle, "DEALLOCATE \(name)") { PQclear(result) }
                retried = true
            }
        }
    }

    /// The server-side name of `key`'s prepared statement, preparing it first
    /// when this connection has not seen it yet.
    private func preparedStatement(for key: StatementKey, _ handle: OpaquePointer) throws -> String {
        if let name = statements[key] { return name }
        if statements.count >= Self.statementCacheLimit, PQtransactionStatus(handle) == PQTRANS_IDLE,
            let result = PQexec(handle, "DEALLOCATE ALL")
        {
            if PQresultStatus(result) == PGRES_COMMAND_OK { statements.removeAll() }
            PQclear(result)
        }
        statementCounter += 1
        let name = "s\(statementCounter)"
        let raw = key.types.withUnsafeBufferPointer { types in
            PQprepare(handle, name, key.sql, Int32(key.types.count), types.baseAddress)
        }
        _ = try check(raw, handle)
        statements[key] = name
        return name
    }

    private func runScript(_ sql: String) throws -> PostgresResult {
        let handle = try usableHandle()
        return try check(PQexec(handle, sql), handle)
    }

    private func begin(_ options: PostgresTransactionOptions, savepointNumber: Int) throws -> String? {
        let handle = try usableHandle()
        if PQtransactionStatus(handle) == PQTRANS_IDLE {
            _ = try check(PQexec(handle, options.beginStatement), handle)
            return nil
        }
        let savepoint = "tx_savepoint_\(savepointNumber)"
        _ = try check(PQexec(handle, "SAVEPOINT \(savepoint)"), handle)
        return savepoint
    }

    private func commit(_ savepoint: String?) throws {
        let handle = try usableHandle()
        guard savepoint == nil else {
            _ = try check(PQexec(handle, "RELEASE SAVEPOINT \(savepoint!)"), handle)
            return
        }
        let result = try check(PQexec(handle, "COMMIT"), handle)
        if result.commandTag == "ROLLBACK" {
            throw PostgresError.server(
                sqlState: "25P02",
                message: "the transaction was rolled back instead of committed because a statement in it failed")
        }
    }

    private func rollback(to savepoint: String?) {
        guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE else {
            return
        }
        let sql = savepoint.map { "ROLLBACK TO SAVEPOINT \($0); RELEASE SAVEPOINT \($0)" } ?? "ROLLBACK"
        if let result = PQexec(handle, sql) { PQclear(result) }
    }

    /// Turns a libpq result into rows or a typed error, freeing it on error.
    private func check(_ raw: OpaquePointer?, _ handle: OpaquePointer) throws -> PostgresResult {
        guard let raw else {
            // libpq returns no result when it could not send the query or ran
            // out of memory.
            if PQstatus(handle) != CONNECTION_OK { throw PostgresError.connectionLost }
            throw PostgresError.server(sqlState: "XX000", message: Self.errorMessage(handle))
        }
        let status = PQresultStatus(raw)
        if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY {
            return PostgresResult(raw)
        }
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            PQclear(raw)
            abandonCopy(handle, status: status)
            throw PostgresError.server(sqlState: "0A000", message: "COPY is not supported by this client")
        }
        let error = Self.serverError(raw, handle)
        PQclear(raw)
        if PQstatus(handle) != CONNECTION_OK { throw PostgresError.connectionLost }
        throw error
    }

    /// Leaves COPY mode so the connection stays usable.
    private func abandonCopy(_ handle: OpaquePointer, status: ExecStatusType) {
        if status == PGRES_COPY_IN || status == PGRES_COPY_BOTH {
            _ = PQputCopyEnd(handle, "COPY is not supported by this client")
        }
        if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(handle, &buffer, 0) >= 0 {
                if let data = buffer { PQfreemem(data) }
                buffer = nil
            }
        }
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    private static func serverError(_ result: OpaquePointer, _ handle: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let message = field("M") ?? errorMessage(handle)
        guard let sqlState = field("C"), !sqlState.isEmpty else {
            // An error libpq made up itself (lost socket, protocol trouble).
            return PQstatus(handle) == CONNECTION_OK
                ? .server(sqlState: "XX000", message: message) : .connectionLost
        }
        return .fromServer(sqlState: sqlState, message: message, constraint: field("n"))
    }

    private static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let message = PQerrorMessage(handle) else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A cached prepared statement is specific to its SQL and parameter types.
private struct StatementKey: Hashable, Sendable {
    let sql: String
    let types: [Oid]
}

/// Parameters in the form libpq takes: type OIDs and NUL-terminated texts.
private struct EncodedParameters: Sendable {
    let types: [Oid]
    let values: [String?]

    init(_ binds: [any PostgresBindable]) throws {
        types = binds.map { type(of: $0).postgresType.rawValue }
        values = try binds.map { try $0.postgresText() }
    }

    /// Lays the values out in one buffer and passes libpq its pointer array
    /// (nil entries are NULLs).
    func withCValues<Result>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result) -> Result {
        var buffer: [CChar] = []
        var offsets: [Int?] = []
        offsets.reserveCapacity(values.count)
        for value in values {
            guard let value else {
                offsets.append(nil)
                continue
            }
            offsets.append(buffer.count)
            buffer.append(contentsOf: value.utf8CString)
        }
        return buffer.withUnsafeBufferPointer { base in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { base.baseAddress! + $0 } }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}
