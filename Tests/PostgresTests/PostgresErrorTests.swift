import Foundation
import Testing

@testable import Postgres

/// SQLSTATEs the application reacts to arrive as typed errors.
@Suite struct PostgresErrorTests {
    static let schema: PostgresQuery = """
        CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL CONSTRAINT users_email_key UNIQUE);
        CREATE TABLE items (id serial PRIMARY KEY, owner_id uuid NOT NULL REFERENCES users (id));
        """

    @Test func uniqueViolationIsTyped() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            try await pool.query("INSERT INTO users (id, email) VALUES (\(UUID()), \("a@example.com"))")
            await #expect(throws: PostgresError.uniqueViolation(constraint: "users_email_key")) {
                try await pool.query("INSERT INTO users (id, email) VALUES (\(UUID()), \("a@example.com"))")
            }
        }
    }

    @Test func foreignKeyViolationIsTyped() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            await #expect(throws: PostgresError.foreignKeyViolation(constraint: "items_owner_id_fkey")) {
                try await pool.query("INSERT INTO items (owner_id) VALUES (\(UUID()))")
            }
        }
    }

    @Test func serializationFailureIsTyped() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            let id = UUID()
            try await pool.query("INSERT INTO users (id, email) VALUES (\(id), 'before')")
            await #expect(throws: PostgresError.serializationFailure) {
                try await pool.transaction(.init(isolationLevel: .repeatableRead)) { connection in
                    _ = try await connection.query("SELECT email FROM users WHERE id = \(id)")
                    // Another session changes the row after this snapshot was taken.
                    try await pool.query("UPDATE users SET email = 'other' WHERE id = \(id)")
                    try await connection.query("UPDATE users SET email = 'mine' WHERE id = \(id)")
                }
            }
            let email = try await pool.query("SELECT email FROM users WHERE id = \(id)")
            #expect(try email[0].decode(String.self, column: "email") == "other")
        }
    }

    @Test func statementTimeoutCancels() async throws {
        let configure = { (configuration: inout PostgresConfiguration) in configuration.statementTimeout = .milliseconds(200) }
        try await TestDatabase.withSchema(configure: configure) { pool, _ in
            // Only the timeout can cancel the sleep, so the error type is the proof; an elapsed-time
            // bound would fail on a loaded machine.
            await #expect(throws: PostgresError.queryCanceled) {
                try await pool.query("SELECT pg_sleep(30)")
            }
            // The connection is still good afterwards.
            let rows = try await pool.query("SELECT current_setting('statement_timeout') AS timeout")
            #expect(try rows[0].decode(String.self, column: "timeout") == "200ms")
        }
    }

    @Test func otherErrorsKeepSQLStateAndMessage() async throws {
        try await TestDatabase.withSchema { pool, _ in
            do {
                try await pool.query("SELECT * FROM no_such_table")
                Issue.record("expected an error")
            } catch let error as PostgresError {
                guard case .server(let sqlState, let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(sqlState == "42P01")
                #expect(message.contains("no_such_table"))
                #expect(error.sqlState == "42P01")
            }
        }
    }

    @Test func connectFailureNeverShowsThePassword() async throws {
        var configuration = try await TestDatabase.configuration()
        configuration.password = "s3cret-Pa55word"
        do {
            _ = try await PostgresConnection.connect(configuration)
            Issue.record("connecting with a wrong password succeeded")
        } catch let error as PostgresError {
            guard case .connectFailed(let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("password authentication failed"))
            #expect(!message.contains("s3cret"))
            #expect(!"\(error)".contains("s3cret"))
            #expect(!"\(configuration)".contains("s3cret"))
        }

        configuration.port = 1  // nothing listens there
        await #expect {
            _ = try await PostgresConnection.connect(configuration)
        } throws: { error in
            guard case .connectFailed(let message) = error as? PostgresError else { return false }
            return !message.contains("s3cret")
        }
    }
}
