import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Postgres

/// Pipeline mode: independent statements in one round trip, each failing on
/// its own; concurrent callers of one connection pipelined behind each other;
/// no thread per connection. Serialized: run beside the other suites, its
/// connections would push a full `swift test` past the test cluster's
/// `max_connections`.
@Suite(.serialized) struct PostgresPipelineTests {
    @Test func pipelinedStatementsReturnInOrder() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute("CREATE TABLE item (id int PRIMARY KEY, title text)")
            try await pool.execute("INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 30) g")
            let results = try await pool.query(pipelining: [
                "SELECT count(*) FROM item",
                "SELECT id, title FROM item ORDER BY id DESC OFFSET \(5) LIMIT \(3)",
            ])
            #expect(try results[0][0].decode(Int.self) == 30)
            #expect(try results[1].map { try $0.decode(Int.self, column: "id") } == [25, 24, 23])
            #expect(try results[1][0].decode(String.self, column: "title") == "item 25")
        }
    }

    @Test func oneFailingStatementLeavesTheOthersAlone() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let results = try await pool.results(pipelining: [
                "SELECT 1", "SELECT 1 / \(0)", "SELECT * FROM no_such_table", "SELECT * FROM no_such_table", "SELECT 5",
            ])
            #expect(try results[0].get()[0].decode(Int.self) == 1)
            #expect(throws: PostgresError.self) { try results[1].get() }
            // The same unpreparable SQL twice in one pipeline: both report the
            // server's reason, not "prepared statement does not exist".
            for result in results[2...3] {
                #expect {
                    try result.get()
                } throws: { error in
                    (error as? PostgresError)?.sqlState == "42P01"
                }
            }
            #expect(try results[4].get()[0].decode(Int.self) == 5)
            await #expect(throws: PostgresError.self) {
                try await pool.query(pipelining: ["SELECT 1", "SELECT 1 / \(0)"])
            }
            #expect(try await pool.query("SELECT 6")[0].decode(Int.self) == 6)
        }
    }

    /// `query(pipelining:)` sends its statements with one `Sync`: they share an implicit
    /// transaction (one transaction id), where `results(pipelining:)` gives each its own.
    @Test func queryPipeliningSendsOneSyncForItsStatements() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let current = "SELECT pg_current_xact_id()::text"
            let grouped = try await pool.query(pipelining: [PostgresQuery(unsafeSQL: current), PostgresQuery(unsafeSQL: current)])
            #expect(try grouped[0][0].decode(String.self) == grouped[1][0].decode(String.self))
            let separate = try await pool.results(pipelining: [PostgresQuery(unsafeSQL: current), PostgresQuery(unsafeSQL: current)])
            #expect(try separate[0].get()[0].decode(String.self) != separate[1].get()[0].decode(String.self))
            try await pool.withConnection { connection in
                let rows = try await connection.query(pipelining: [PostgresQuery(unsafeSQL: current), PostgresQuery(unsafeSQL: current)])
                #expect(try rows[0][0].decode(String.self) == rows[1][0].decode(String.self))
            }
        }
    }

    /// In one `Sync` group, a failing statement stops the rest and undoes a write before it;
    /// the error thrown is the failing statement's own. Each statement of `results(pipelining:)`
    /// still runs on its own.
    @Test func aFailureInAGroupStopsTheRestAndUndoesItsWrites() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute("CREATE TABLE t (a int)")
            let statements: [PostgresQuery] = ["INSERT INTO t VALUES (\(1))", "SELECT 1 / \(0)", "INSERT INTO t VALUES (\(2))"]
            await #expect {
                try await pool.query(pipelining: statements)
            } throws: { error in
                (error as? PostgresError)?.sqlState == "22012"
            }
            #expect(try await pool.query("SELECT count(*) FROM t")[0].decode(Int.self) == 0)
            let separate = try await pool.results(pipelining: statements)
            #expect(separate.map { (try? $0.get()) != nil } == [true, false, true])
            #expect(try await pool.query("SELECT count(*) FROM t")[0].decode(Int.self) == 2)
            // The connection goes on as usual.
            let rows = try await pool.query(pipelining: ["SELECT count(*) FROM t", "SELECT \(5)"])
            #expect(try rows[0][0].decode(Int.self) == 2 && rows[1][0].decode(Int.self) == 5)
        }
    }

    @Test func statementTimeoutInTheMiddleFailsOnlyThatStatement() async throws {
        let configure = { (configuration: inout PostgresConfiguration) in configuration.statementTimeout = .milliseconds(200) }
        try await TestDatabase.withSchema(configure: configure) { pool, _ in
            let results = try await pool.results(pipelining: ["SELECT 1", "SELECT pg_sleep(30)", "SELECT 3"])
            #expect(try results[0].get()[0].decode(Int.self) == 1)
            #expect(throws: PostgresError.queryCanceled) { try results[1].get() }
            #expect(try results[2].get()[0].decode(Int.self) == 3)
        }
    }

    @Test func pipelinedInsideATransactionFollowsTheServersRule() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute("CREATE TABLE entry (label text UNIQUE)")
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    let results = try await connection.results(pipelining: [
                        "INSERT INTO entry VALUES ('a')", "INSERT INTO entry VALUES ('a')", "INSERT INTO entry VALUES ('b')",
                    ])
                    #expect((try? results[0].get()) != nil)
                    #expect(throws: PostgresError.uniqueViolation(constraint: "entry_label_key")) { try results[1].get() }
                    // Aborted transaction: 25P02 until rollback.
                    #expect(throws: PostgresError.self) { try results[2].get() }
                    return try results[2].get()
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM entry")[0].decode(Int.self) == 0)
        }
    }

    @Test func poolSharesAConnectionBetweenSingleStatements() async throws {
        try await TestDatabase.withSchema(maxConnections: 2) { pool, _ in
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await pool.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.05)")[0].decode(Int32.self, column: "pid")
                    }
                }
                var pids: [Int32] = []
                for try await pid in group { pids.append(pid) }
                return pids
            }
            #expect(pids.count == 40)
            #expect(Set(pids).count <= 2)
            #expect(pool.statistics.open <= 2)
            // A second connection the burst asked for may still be opening (counted open, not
            // idle) when the first has served everyone: it joins the idle ones once it is up.
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(30)
            while pool.statistics.idle != pool.statistics.open, clock.now < giveUp { try await Task.sleep(for: .milliseconds(10)) }
            #expect(pool.statistics.idle == pool.statistics.open)
            // An exclusive lease still gets a connection of its own.
            try await pool.transaction { connection in
                try await connection.query("SELECT 1")
            }
        }
    }

    @Test func concurrentCallersOfOneConnectionArePipelined() async throws {
        let connection = try await TestDatabase.connect()
        let values = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for value in 0..<200 {
                group.addTask {
                    let rows = try await connection.query("SELECT \(value)::int + 1 AS answer")
                    return (value, try rows[0].decode(Int.self))
                }
            }
            var values: [(Int, Int)] = []
            for try await value in group { values.append(value) }
            return values
        }
        #expect(values.count == 200)
        #expect(values.allSatisfy { $0.0 + 1 == $0.1 })
        await connection.close()
    }

    /// Runs a task's jobs on one event loop, as the server's request tasks run.
    final class LoopExecutor: TaskExecutor {
        let loop: any EventLoop
        init(_ loop: any EventLoop) { self.loop = loop }
        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// A caller on an event loop hands its statement to libpq at the end of the loop's tick: a
    /// task the loop had queued before it runs first and finds nothing sent yet (sent inline,
    /// the 0.2 s statement would still be in flight there).
    @Test func aCallerOnAnEventLoopSendsAfterTheTasksQueuedBeforeIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let connection = try await TestDatabase.connect()
        let seen = try await withTaskExecutorPreference(LoopExecutor(loop)) {
            let inFlight = loop.makePromise(of: Int.self)
            loop.execute { inFlight.succeed(connection.locked { connection.inFlight.count }) }
            let rows = try await connection.query("SELECT pg_sleep(0.2), 7 AS seven")
            #expect(try rows[0].decode(Int.self, column: "seven") == 7)
            return try await inFlight.futureResult.get()
        }
        #expect(seen == 0)
        await connection.close()
        try await group.shutdownGracefully()
    }

    /// A caller on an event loop cancelled while its statement runs stops it, as one off any loop
    /// does, and the connection answers the next statement.
    @Test func aCancelledCallerOnAnEventLoopStopsItsStatement() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let admin = try await TestDatabase.connect()
            let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
            let sleeper = Task {
                try await withTaskExecutorPreference(LoopExecutor(loop)) {
                    try await pool.withConnection { try await $0.query("SELECT pg_sleep(30)") }
                }
            }
            try await waitUntil(pid, runs: "pg_sleep(30)", admin: admin)
            sleeper.cancel()
            let outcome = try await answered(within: .seconds(20)) { await sleeper.result }
            #expect(throws: PostgresError.queryCanceled) { try outcome?.get() }
            #expect(try await pool.query("SELECT 42")[0].decode(Int.self) == 42)
            await admin.close()
        }
        try await group.shutdownGracefully()
    }

    /// A caller on an event loop cancelled after its statement was handed over but before the
    /// loop sent it: the statement is never sent, and the caller gets `queryCanceled`. The loop
    /// is held by a task queued ahead of the send until the cancel has landed.
    @Test func aCallerCancelledBeforeItsDeferredSendStopsItsStatement() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let loopHeld = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let sleeper = Task {
                try await withTaskExecutorPreference(LoopExecutor(loop)) {
                    try await pool.withConnection { connection in
                        loop.execute {
                            loopHeld.signal()
                            release.wait()
                        }
                        return try await connection.query("SELECT pg_sleep(30)")
                    }
                }
            }
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    loopHeld.wait()
                    continuation.resume()
                }
            }
            sleeper.cancel()
            release.signal()
            let outcome = try await answered(within: .seconds(20)) { await sleeper.result }
            #expect(throws: PostgresError.queryCanceled) { try outcome?.get() }
            #expect(try await pool.query("SELECT 42")[0].decode(Int.self) == 42)
        }
        try await group.shutdownGracefully()
    }

    /// Callers on event loops (as the server's request tasks run) and off any loop share one
    /// connection, before and after its session is terminated: every statement answers, with
    /// its own result.
    @Test func callersOnEventLoopsAndOffThemShareAConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = [group.next(), group.next()]
        // One connection: every caller shares it, so statements from both loops' threads and
        // from Swift's own pool interleave on one socket.
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            for round in 0..<2 {
                let values = try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
                    for value in 0..<300 {
                        tasks.addTask {
                            let query = { () async throws -> (Int, Int) in
                                let rows = try await pool.query("SELECT \(value)::int * 2 AS answer")
                                return (value, try rows[0].decode(Int.self))
                            }
                            if value % 3 == 2 { return try await query() }
                            return try await withTaskExecutorPreference(LoopExecutor(loops[value % 3])) {
                                #expect(MultiThreadedEventLoopGroup.currentEventLoop === loops[value % 3])
                                return try await query()
                            }
                        }
                    }
                    var values: [(Int, Int)] = []
                    for try await value in tasks { values.append(value) }
                    return values
                }
                #expect(values.count == 300)
                #expect(values.allSatisfy { $0.0 * 2 == $0.1 })
                if round == 0 {
                    // The second round runs on a new session.
                    let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
                    let admin = try await TestDatabase.connect()
                    _ = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000)")
                    await admin.close()
                }
            }
        }
        try await group.shutdownGracefully()
    }

    @Test func scriptsAndPipelinedStatementsMixOnOneConnection() async throws {
        let connection = try await TestDatabase.connect()
        async let first = connection.query("SELECT 1")
        async let script = connection.execute("SELECT 2; SELECT 3")
        async let last = connection.query("SELECT 4")
        #expect(try await first[0].decode(Int.self) == 1)
        #expect(try await script[0].decode(Int.self) == 3)
        #expect(try await last[0].decode(Int.self) == 4)
        await connection.close()
    }

    @Test func preparedStatementsAreCachedAndPreparedAgainAfterAReconnect() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let admin = try await TestDatabase.connect()
            let sql: PostgresQuery = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT count(*) FROM pg_prepared%'"
            #expect(try await pool.query(sql)[0].decode(Int.self) == 1)
            #expect(try await pool.query(sql)[0].decode(Int.self) == 1)
            let pid = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
            _ = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000)")
            // The new session has none until the statement runs again.
            #expect(try await pool.query(sql)[0].decode(Int.self) == 1)
            #expect(try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self) != pid)
            await admin.close()
        }
    }

    /// The point of the change: more open connections, and no more threads
    /// (the poll loops are shared). The loops' own threads are counted by
    /// name, exactly; the process-wide count only loosely, because the other
    /// suites run beside this one and Swift's pool and the tests' tools add
    /// threads of their own (CI saw 6 more while 12 connections opened).
    @Test func connectionsCostNoThreads() async throws {
        let configuration = try await TestDatabase.configuration()
        // Warm up: the shared loops start with the first connection.
        let first = try await PostgresConnection.connect(configuration)
        // Only the poll loops' own threads are counted: the other suites in this process start
        // and stop threads of their own meanwhile.
        let loopsBefore = Self.threadNames().filter { $0.hasPrefix("postgres-io-") }.count
        var connections: [PostgresConnection] = []
        for _ in 0..<24 { connections.append(try await PostgresConnection.connect(configuration)) }
        for connection in connections { _ = try await connection.query("SELECT 1") }
        let names = Self.threadNames()
        let loopsAfter = names.filter { $0.hasPrefix("postgres-io-") }.count
        #expect(loopsBefore > 0, "the poll loops' threads carry their names")
        #expect(loopsAfter == loopsBefore, "poll threads: \(loopsBefore) before, \(loopsAfter) with 24 more connections")
        for connection in connections { await connection.close() }
        await first.close()
    }

    /// The names of the process's threads (`/proc/self/task/*/comm`).
    static func threadNames() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
