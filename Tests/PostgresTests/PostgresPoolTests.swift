import Foundation
import Testing

@testable import Postgres

@Suite struct PostgresPoolTests {
    func backendPID(_ connection: PostgresConnection) async throws -> Int32 {
        try await connection.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
    }

    @Test func boundedPoolServesMoreCallersThanConnections() async throws {
        let size = 3
        try await TestDatabase.withSchema(maxConnections: size) { pool, _ in
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<(size + 5) {
                    group.addTask {
                        try await pool.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.1)")[0]
                            .decode(Int32.self, column: "pid")
                    }
                }
                var pids: [Int32] = []
                for try await pid in group { pids.append(pid) }
                return pids
            }
            #expect(pids.count == size + 5)
            #expect(Set(pids).count <= size)
            #expect(Set(pids).count > 1)
            #expect(pool.statistics.open <= size)
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
            // The cached plan's result type changes; the client re-prepares.
            try await pool.execute("ALTER TABLE t ADD COLUMN b text")
            #expect(try await pool.query("SELECT * FROM t").columns.count == 2)
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
}
