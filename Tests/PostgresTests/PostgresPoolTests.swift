import Foundation
import TestProcesses
import Testing

@testable import Postgres

@Suite struct PostgresPoolTests {
    func backendPID(_ connection: PostgresConnection) async throws -> Int32 {
        try await connection.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
    }

    @Test func boundedPoolServesMoreCallersThanConnections() async throws {
        let size = 3
        try await TestDatabase.withSchema(maxConnections: size) { pool, _ in
            // One connection is held for the whole burst, so the burst can only finish on
            // connections the pool opens for it: which and how many it shares depends on the
            // machine's timing, but never the held one and never more than the bound.
            try await pool.withConnection { held in
                let heldPID = try await backendPID(held)
                let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                    for _ in 0..<(size + 5) {
                        group.addTask {
                            try await pool.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.05)")[0]
                                .decode(Int32.self, column: "pid")
                        }
                    }
                    var pids: [Int32] = []
                    for try await pid in group { pids.append(pid) }
                    return pids
                }
                #expect(pids.count == size + 5)
                #expect(!pids.contains(heldPID))
                #expect(Set(pids + [heldPID]).count <= size)
                #expect(pool.statistics.open <= size)
            }
            #expect(pool.statistics.waiting == 0)
        }
    }

    @Test func checkoutTimesOutWhileAllConnectionsAreHeld() async throws {
        try await TestDatabase.withSchema(maxConnections: 1, checkoutTimeout: .milliseconds(200)) { pool, _ in
            try await pool.withConnection { held in
                let clock = ContinuousClock()
                let start = clock.now
                await #expect(throws: PostgresError.checkoutTimeout) {
                    try await pool.query("SELECT 1")
                }
                let waited = clock.now - start
                // It waited for the checkout timeout; no upper bound, which a loaded machine breaks.
                #expect(waited >= .milliseconds(150))
                _ = try await backendPID(held)
            }
            #expect(try await pool.query("SELECT 1")[0].decode(Int.self) == 1)
            #expect(pool.statistics.waiting == 0)
        }
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            try await pool.withConnection { _ in
                let waiter = Task { try await pool.query("SELECT 1").count }
                while pool.statistics.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                waiter.cancel()
                await #expect(throws: CancellationError.self) { try await waiter.value }
                #expect(pool.statistics.waiting == 0)
            }
            #expect(try await pool.query("SELECT 1").count == 1)
        }
    }

    @Test func reconnectsAfterBackendsAreTerminated() async throws {
        try await TestDatabase.withSchema(maxConnections: 2) { pool, _ in
            let admin = try await TestDatabase.connect()
            // Open both connections and note their server processes.
            let before = try await pool.withConnection { first in
                try await pool.withConnection { second in
                    [try await backendPID(first), try await backendPID(second)]
                }
            }
            for pid in before {
                let rows = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000) AS done")
                #expect(try rows[0].decode(Bool.self, column: "done"))
            }
            // Both idle connections are dead; the next uses reconnect.
            let after = try await pool.withConnection { first in
                try await pool.withConnection { second in
                    [try await backendPID(first), try await backendPID(second)]
                }
            }
            #expect(Set(after).isDisjoint(with: before))
            #expect(try await pool.query("SELECT 42")[0].decode(Int.self) == 42)
            await admin.close()
        }
    }

    @Test func connectionLostMidUseSurfacesAndThePoolRecovers() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let admin = try await TestDatabase.connect()
            try await pool.withConnection { connection in
                let pid = try await backendPID(connection)
                _ = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000)")
                await #expect(throws: PostgresError.connectionLost) {
                    try await connection.query("SELECT 1")
                }
                // Stays lost for the rest of this checkout.
                await #expect(throws: PostgresError.connectionLost) {
                    try await connection.query("SELECT 1")
                }
            }
            #expect(try await pool.query("SELECT 7")[0].decode(Int.self) == 7)
            await admin.close()
        }
    }

    @Test func connectionClosedByItsBorrowerIsReplaced() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            try await pool.withConnection { connection in await connection.close() }
            #expect(pool.statistics.open == 0)
            #expect(try await pool.query("SELECT 1").count == 1)
        }
    }

    @Test func closedPoolRefusesWork() async throws {
        let pool = PostgresPool(configuration: try await TestDatabase.configuration(), maxConnections: 2)
        #expect(try await pool.query("SELECT 1").count == 1)
        await pool.close()
        await #expect(throws: PostgresError.poolClosed) { try await pool.query("SELECT 1") }
        #expect(pool.statistics.open == 0)
    }

    @Test func preparedStatementsAreReusedAndSurviveSchemaChanges() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            try await pool.execute("CREATE TABLE t (a int); INSERT INTO t VALUES (1)")
            for _ in 0..<3 {
                #expect(try await pool.query("SELECT * FROM t").columns.count == 1)
            }
            let prepared = try await pool.query("SELECT count(*) FROM pg_prepared_statements")[0].decode(Int.self)
            #expect(prepared == 2)
            let group: [PostgresQuery] = ["SELECT \(1)", "SELECT * FROM t", "SELECT * FROM t WHERE a = \(1)"]
            #expect(try await pool.query(pipelining: group).map(\.columns.count) == [1, 1, 1])
            // The cached plan's result type changes; the client re-prepares.
            try await pool.execute("ALTER TABLE t ADD COLUMN b text")
            #expect(try await pool.query("SELECT * FROM t").columns.count == 2)
            // In a group: the statement before the stale one keeps its result, the stale one and
            // the one it stopped are sent again.
            try await pool.execute("ALTER TABLE t ADD COLUMN c text")
            let again = try await pool.query(pipelining: group)
            #expect(again.map(\.columns.count) == [1, 3, 3])
            #expect(try again[0][0].decode(Int.self) == 1 && again[2].count == 1)
        }
    }

    @Test func worksWithoutPreparedStatements() async throws {
        let configure = { (configuration: inout PostgresConfiguration) in configuration.usePreparedStatements = false }
        try await TestDatabase.withSchema(configure: configure) { pool, _ in
            let rows = try await pool.query("SELECT \(41) + 1 AS answer, \("x") AS letter")
            #expect(try rows[0].decode(Int.self, column: "answer") == 42)
            #expect(try rows[0].decode(String.self, column: "letter") == "x")
            let prepared = try await pool.query("SELECT count(*) FROM pg_prepared_statements")[0].decode(Int.self)
            #expect(prepared == 0)
        }
    }

    /// Polls `condition` (the pool's timers run on the real clock) for up to 30 seconds: a
    /// connect in a full, loaded test run has taken several seconds, and a passing condition
    /// returns at once.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<3000 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }

    @Test func waitersAreServedInArrivalOrder() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            let order = Locked([Int]())
            let waiters = try await pool.withConnection { _ in
                var waiters: [Task<Void, any Error>] = []
                for caller in 0..<4 {
                    waiters.append(
                        Task {
                            try await pool.withConnection { connection in
                                order.withLock { $0.append(caller) }
                                _ = try await connection.query("SELECT 1")
                            }
                        })
                    // Each joins the queue before the next one starts. (Outside `#expect`: a
                    // closure whose only `try` is inside a macro is not inferred as throwing.)
                    let queued = try await eventually { pool.statistics.waiting == caller + 1 }
                    #expect(queued)
                }
                return waiters
            }
            for waiter in waiters { try await waiter.value }
            #expect(order.withLock { $0 } == [0, 1, 2, 3])
        }
    }

    @Test func minimumConnectionsOpenAtTheStartAndIdleOnesAboveItClose() async throws {
        let pool = PostgresPool(
            configuration: try await TestDatabase.configuration(), maxConnections: 3, minConnections: 1,
            idleTimeout: .milliseconds(200), healthCheckInterval: nil)
        #expect(try await eventually { pool.statistics.open == 1 && pool.statistics.idle == 1 })
        // Three held at once: two more open.
        let held = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pool.withConnection { connection in
                        held.withLock { $0 += 1 }
                        let all = try await eventually { held.withLock { $0 } == 3 }
                        #expect(all)
                        #expect(pool.statistics.open == 3)
                        _ = try await connection.query("SELECT 1")
                    }
                }
            }
            try await group.waitForAll()
        }
        // Idle past the timeout, they close down to the minimum.
        #expect(try await eventually { pool.statistics.open == 1 })
        #expect(try await pool.query("SELECT 1")[0].decode(Int.self) == 1)
        await pool.close()
    }

    @Test func idleConnectionsArePingedAndRevivedBeforeACallerNeedsThem() async throws {
        var configuration = try await TestDatabase.configuration()
        let name = "pool_ping_\(UUID().uuidString.prefix(8))"
        configuration.applicationName = name
        // A minimum of one: a ping already on the wire when the session is terminated fails, and
        // the pool then closes that connection and opens its replacement (the other way back to
        // a live idle session, which a loaded test run takes now and then).
        let pool = PostgresPool(
            configuration: configuration, maxConnections: 1, minConnections: 1, idleTimeout: nil,
            healthCheckInterval: .milliseconds(100))
        let admin = try await TestDatabase.connect()
        /// The pool's sessions: server process and latest statement.
        func sessions() async throws -> [(pid: Int32, query: String)] {
            try await admin.query("SELECT pid, query FROM pg_stat_activity WHERE application_name = \(name)").map {
                (try $0.decode(Int32.self, column: "pid"), try $0.decode(String.self, column: "query"))
            }
        }
        let pid = try await pool.withConnection { try await backendPID($0) }
        // The ping is the session's latest statement.
        #expect(try await eventually { try await sessions().map(\.query) == ["SELECT 1"] })
        // A session terminated while idle is reopened by the next ping, before any caller needs it.
        _ = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000)")
        #expect(try await eventually { try await sessions().contains { $0.pid != pid && $0.query == "SELECT 1" } })
        #expect(pool.statistics.open == 1)
        #expect(try await pool.withConnection { try await backendPID($0) } != pid)
        await pool.close()
        await admin.close()
    }

    @Test func unreachableServerFailsCallersFastInsteadOfTimingOut() async throws {
        var configuration = try await TestDatabase.configuration()
        configuration.port = try TestPorts.free()
        let pool = PostgresPool(configuration: configuration, maxConnections: 2, checkoutTimeout: .seconds(30))
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<3 {
            await #expect {
                try await pool.query("SELECT 1")
            } throws: { error in
                guard case .connectFailed = error as? PostgresError else { return false }
                return true
            }
        }
        // Three failures with backoff (50 ms, then 100 ms) between the attempts: far below the checkout timeout.
        #expect(clock.now - start < .seconds(10))
        #expect(pool.statistics == .init(open: 0, idle: 0, waiting: 0, leased: 0))
        await pool.close()
    }

    /// Many callers on few connections, exclusive and shared, some cancelled while they wait:
    /// every call ends, and the pool is left with nothing leased and nobody waiting.
    @Test func mixedCallersWithCancellationsLeaveThePoolClean() async throws {
        try await TestDatabase.withSchema(maxConnections: 2, checkoutTimeout: .seconds(20)) { pool, _ in
            let calls = (0..<40).map { caller in
                Task {
                    if caller.isMultiple(of: 3) {
                        try await pool.withConnection { _ = try await $0.query("SELECT pg_sleep(0.01)") }
                    } else {
                        _ = try await pool.query("SELECT \(caller)::int, pg_sleep(0.005)")
                    }
                }
            }
            for call in calls.enumerated() where call.offset.isMultiple(of: 5) { call.element.cancel() }
            var finished = 0
            for call in calls {
                do {
                    try await call.value
                } catch is CancellationError {
                } catch PostgresError.queryCanceled {
                    // Cancelled while its statement ran on an exclusive connection.
                }
                finished += 1
            }
            #expect(finished == calls.count)
            #expect(pool.statistics.leased == 0)
            #expect(pool.statistics.waiting == 0)
            #expect(try await pool.query("SELECT 1")[0].decode(Int.self) == 1)
        }
    }
}
