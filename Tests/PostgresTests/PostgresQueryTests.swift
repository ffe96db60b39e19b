import Foundation
import Testing

@testable import Postgres

@Suite struct PostgresQueryTests {
    @Test func interpolationBindsParameters() {
        let id = UUID()
        let name: String? = nil
        let query: PostgresQuery = "SELECT * FROM \(identifier: "my \"table\"") WHERE id = \(id) AND name = \(name) LIMIT \(10)"
        #expect(query.sql == "SELECT * FROM \"my \"\"table\"\"\" WHERE id = $1 AND name = $2 LIMIT $3")
        #expect(query.binds.count == 3)
    }

    @Test func sqlInjectionIsStoredLiterally() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute("CREATE TABLE students (name text NOT NULL)")
            let attacks = [
                "Robert'); DROP TABLE students;--",
                "' OR '1'='1",
                "\\'; DELETE FROM students; --",
                "$1",
                "'' ; SELECT pg_sleep(10); --",
            ]
            for attack in attacks {
                try await pool.query("INSERT INTO students (name) VALUES (\(attack))")
                try await pool.query("INSERT INTO students (name) VALUES ($1)", [attack])
            }
            let stored = try await pool.query("SELECT name FROM students ORDER BY name").decode(String.self)
            #expect(stored == (attacks + attacks).sorted())
            let matches = try await pool.query("SELECT count(*) FROM students WHERE name = \(attacks[1])")
            #expect(try matches[0].decode(Int.self) == 2)
            // An identifier cannot break out of its quotes either.
            await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT * FROM \(identifier: "students\"; DROP TABLE students; --")")
            }
            #expect(try await pool.query("SELECT count(*) FROM students")[0].decode(Int.self) == attacks.count * 2)
        }
    }

    @Test func executeRefusesParameters() async throws {
        try await TestDatabase.withSchema { pool, _ in
            await #expect(throws: PostgresError.self) {
                try await pool.execute("SELECT \(1)")
            }
            let rows = try await pool.execute("SELECT 1; SELECT 2 AS two")
            #expect(try rows[0].decode(Int.self, column: "two") == 2)
        }
    }
}
