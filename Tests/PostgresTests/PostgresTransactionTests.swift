import Foundation
import Testing

@testable import Postgres

@Suite struct PostgresTransactionTests {
    struct Failure: Error {}

    static let schema: PostgresQuery = "CREATE TABLE entry (id serial PRIMARY KEY, label text NOT NULL UNIQUE)"

    func count(_ pool: PostgresPool) async throws -> Int {
        try await pool.query("SELECT count(*) FROM entry")[0].decode(Int.self)
    }

    @Test func commitsWhenTheBodyReturns() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            let id = try await pool.transaction(.serializable) { connection in
                try await connection.query("INSERT INTO entry (label) VALUES ('kept') RETURNING id")[0]
                    .decode(Int.self, column: "id")
            }
            #expect(id > 0)
            #expect(try await count(pool) == 1)
        }
    }

    @Test func rollsBackWhenTheBodyThrows() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            try await pool.execute(Self.schema)
            await #expect(throws: Failure.self) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO entry (label) VALUES ('a')")
                    try await connection.query("INSERT INTO entry (label) VALUES ('b')")
                    throw Failure()
                }
            }
            #expect(try await count(pool) == 0)
            // A failing statement rolls back what came before it, too.
            await #expect(throws: PostgresError.uniqueViolation(constraint: "entry_label_key")) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO entry (label) VALUES ('c')")
                    try await connection.query("INSERT INTO entry (label) VALUES ('c')")
                }
            }
            #expect(try await count(pool) == 0)
        }
    }

    @Test func swallowedErrorDoesNotPretendToCommit() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            await #expect(
                throws: PostgresError.server(
                    sqlState: "25P02",
                    message: "the transaction was rolled back instead of committed because a statement in it failed")
            ) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO entry (label) VALUES ('x')")
                    _ = try? await connection.query("SELECT 1/0")
                }
            }
            #expect(try await count(pool) == 0)
        }
    }

    @Test func nestedTransactionUsesSavepoint() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            try await pool.transaction { connection in
                try await connection.query("INSERT INTO entry (label) VALUES ('outer')")
                try? await connection.transaction { inner in
                    try await inner.query("INSERT INTO entry (label) VALUES ('inner')")
                    throw Failure()
                }
                try await connection.transaction { inner in
                    try await inner.query("INSERT INTO entry (label) VALUES ('inner kept')")
                }
            }
            let labels = try await pool.query("SELECT label FROM entry ORDER BY id").decode(String.self)
            #expect(labels == ["outer", "inner kept"])
        }
    }

    @Test func connectionComesBackClean() async throws {
        try await TestDatabase.withSchema(maxConnections: 1) { pool, _ in
            try await pool.execute(Self.schema)
            // Leave a transaction open, and one in the failed state.
            try await pool.withConnection { connection in
                try await connection.execute("BEGIN")
                try await connection.query("INSERT INTO entry (label) VALUES ('left open')")
            }
            #expect(try await count(pool) == 0)
            try await pool.withConnection { connection in
                try await connection.execute("BEGIN")
                _ = try? await connection.query("SELECT 1/0")
            }
            let rows = try await pool.query("SELECT 1 AS one")
            #expect(try rows[0].decode(Int.self) == 1)
        }
    }

    @Test func isolationLevelAndReadOnlyApply() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            let level = try await pool.transaction(.init(isolationLevel: .serializable, readOnly: true)) { connection in
                try await connection.query("SHOW transaction_isolation")[0].decode(String.self)
            }
            #expect(level == "serializable")
            await #expect(
                throws: PostgresError.server(
                    sqlState: "25006", message: "cannot execute INSERT in a read-only transaction")
            ) {
                try await pool.transaction(.init(readOnly: true)) { connection in
                    try await connection.query("INSERT INTO entry (label) VALUES ('no')")
                }
            }
        }
    }
}
