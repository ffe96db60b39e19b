import Foundation
import Synchronization
import Testing

@testable import Postgres

/// Faults in the middle of pipelined and running statements: every caller
/// gets an answer (rows or a typed error), none hangs, and the connection or
/// the pool is usable afterwards. Serialized, like `PostgresPipelineTests`,
/// to stay within the test cluster's `max_connections` in a full run.
@Suite(.serialized) struct PostgresFaultTests {
    @Test func terminatedBackendMidPipelineFailsEveryStatementAndThePoolRecovers() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let admin = try await TestDatabase.connect()
            let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
            let batch = Task {
                try await pool.results(pipelining: ["SELECT pg_sleep(30)", "SELECT 2", "SELECT 3"])
            }
            try await waitUntil(pid, runs: "pg_sleep(30)", admin: admin)
            _ = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000)")
            let results = try await answered(within: .seconds(30)) { try await batch.value }
            for result in results ?? [] {
                #expect(throws: PostgresError.connectionLost) { try result.get() }
            }
            #expect(try await pool.query("SELECT 7")[0].decode(Int.self) == 7)
            await admin.close()
        }
    }

    @Test func cancelledTaskStopsItsQueryAndTheConnectionComesBackClean() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let admin = try await TestDatabase.connect()
            let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
            let sleeper = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(30)") } }
            // PostgreSQL ignores a cancel request that arrives before the statement is read.
            try await waitUntil(pid, runs: "pg_sleep(30)", admin: admin)
            sleeper.cancel()
            let outcome = try await answered(within: .seconds(30)) { await sleeper.result }
            #expect(throws: PostgresError.queryCanceled) { try outcome?.get() }
            // Same session, nothing left over from the cancelled statement.
            #expect(try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self) == pid)
            #expect(try await pool.query("SELECT 42")[0].decode(Int.self) == 42)
            await admin.close()
        }
    }

    /// `pool.query` may share its connection with other callers' statements,
    /// so a cancel request (which stops whatever the session runs) is not
    /// sent: the statement finishes, and the connection is clean.
    @Test func cancelledTaskOnASharedConnectionLetsItsStatementFinish() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
            let sleeper = Task { try await pool.query("SELECT pg_sleep(0.5), 1 AS one") }
            let neighbour = Task { try await pool.query("SELECT pg_sleep(0.2), 2 AS two") }
            try await Task.sleep(for: .milliseconds(100))
            sleeper.cancel()
            let outcome = try await answered(within: .seconds(30)) { await sleeper.result }
            #expect(try outcome?.get()[0].decode(Int.self, column: "one") == 1)
            #expect(try await neighbour.value[0].decode(Int.self, column: "two") == 2)
            #expect(try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self) == pid)
        }
    }

    @Test func cancelledTaskInsideATransactionRollsBack() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let admin = try await TestDatabase.connect()
            try await pool.execute("CREATE TABLE entry (label text)")
            let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
            let writer = Task {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO entry VALUES ('kept?')")
                    try await connection.query("SELECT pg_sleep(30)")
                }
            }
            try await waitUntil(pid, runs: "pg_sleep(30)", admin: admin)
            writer.cancel()
            let outcome = try await answered(within: .seconds(30)) { await writer.result }
            #expect(throws: PostgresError.queryCanceled) { try outcome?.get() }
            #expect(try await pool.query("SELECT count(*) FROM entry")[0].decode(Int.self) == 0)
            #expect(try await pool.query("SELECT 1")[0].decode(Int.self) == 1)
            await admin.close()
        }
    }

    @Test func connectGivesUpAfterTheConnectTimeout() async throws {
        // A TEST-NET-1 address (RFC 5737): nothing answers, so only the
        // timeout (or an unreachable network) ends the attempt. No bound on
        // the time taken, which a loaded machine breaks; a hang fails.
        let configuration = PostgresConfiguration(
            host: "192.0.2.1", port: 5432, user: "app", password: "app", database: "app", sslMode: "disable",
            connectTimeout: .seconds(1))
        let outcome = try await answered(within: .seconds(30)) {
            () async -> Result<PostgresConnection, any Error> in
            do { return .success(try await PostgresConnection.connect(configuration)) } catch { return .failure(error) }
        }
        #expect {
            try outcome?.get()
        } throws: { error in
            guard case .connectFailed = error as? PostgresError else { return false }
            return true
        }
    }
}

/// Waits for `body` at most `limit`; records a hang (and returns nil)
/// instead of waiting forever, so a hung connection fails the test rather
/// than the run.
/// Waits until backend `pid` runs a statement containing `text`, so a fault injected next
/// lands mid-statement however late the busy machine started the task that sent it.
func waitUntil(
    _ pid: Int32, runs text: String, admin: PostgresConnection, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
        let rows = try await admin.query(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid) AND state = 'active' AND strpos(query, \(text)) > 0")
        if try rows[0].decode(Int.self) > 0 { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("backend \(pid) never ran \(text)", sourceLocation: sourceLocation)
}

func answered<T: Sendable>(
    within limit: Duration, sourceLocation: SourceLocation = #_sourceLocation, _ body: @escaping @Sendable () async throws -> T
) async throws -> T? {
    let outcome = Locked<Result<T, any Error>?>(nil)
    let task = Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
    }
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if let result = outcome.withLock({ $0 }) {
            _ = await task.value
            return try result.get()
        }
        try? await Task.sleep(for: .milliseconds(10))
    }
    // Cancelled so that a waiting loop does not outlive the test.
    task.cancel()
    Issue.record("no answer within \(limit): the call hung", sourceLocation: sourceLocation)
    return nil
}

/// A value shared by a test and the tasks it starts.
final class Locked<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) {
        state = Mutex(value)
    }

    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T {
        state.withLock { body(&$0) }
    }
}
