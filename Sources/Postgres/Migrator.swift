import Foundation

/// Applies pending migrations in order, once, however many processes start
/// at the same time.
///
/// The whole run holds a session-level advisory lock on one connection, so
/// concurrent starters queue on it and find the work done when they get it.
/// Each migration runs in its own transaction together with its row in
/// `schema_migrations`: a failure leaves neither behind. An applied migration
/// whose SQL changed stops the run before anything new is applied.
///
/// Migration SQL must not contain its own `BEGIN`/`COMMIT` or statements that
/// refuse to run in a transaction (`CREATE INDEX CONCURRENTLY`).
public struct Migrator: Sendable {
    /// The advisory lock key ("SPECGEN1" in ASCII), shared by every
    /// instance of the server so they exclude each other.
    public static let defaultLockKey: Int64 = 0x5350_4543_4745_4E31

    public let migrations: [Migration]
    public let lockKey: Int64

    public init(migrations: [Migration], lockKey: Int64 = Migrator.defaultLockKey) throws {
        self.migrations = try Migration.ordered(migrations)
        self.lockKey = lockKey
    }

    /// Migrations read from a folder of `NNNN_slug.sql` files (for example
    /// `Generated/SQL/migrations`).
    public init(directory: URL, lockKey: Int64 = Migrator.defaultLockKey) throws {
        try self.init(migrations: try Migration.load(from: directory), lockKey: lockKey)
    }

    /// Applies what is pending; returns the migrations this call applied
    /// (empty when another process got there first).
    @discardableResult
    public func migrate(on pool: PostgresPool) async throws -> [Migration] {
        try await pool.withConnection { try await migrate(on: $0) }
    }

    @discardableResult
    public func migrate(on connection: PostgresConnection) async throws -> [Migration] {
        // A long migration, or the wait for another instance's, must not hit
        // the pool's statement timeout. RESET afterwards restores the value
        // the connection started with.
        try await connection.execute("SET statement_timeout = 0")
        do {
            _ = try await connection.query("SELECT pg_advisory_lock($1)", [lockKey])
        } catch {
            _ = try? await connection.execute("RESET statement_timeout")
            throw error
        }
        do {
            let applied = try await applyPending(on: connection)
            try await release(connection)
            return applied
        } catch {
            try? await release(connection)
            throw error
        }
    }

    /// The migrations not yet recorded in `schema_migrations` (no lock taken;
    /// for readiness checks and `migrate --dry-run`).
    public func pending(on pool: PostgresPool) async throws -> [Migration] {
        try await pool.withConnection { connection in
            let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
            guard try exists.first?.decode(Bool.self, column: "present") == true else { return migrations }
            let recorded = try await recordedChecksums(connection)
            return migrations.filter { recorded[$0.version] == nil }
        }
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let recorded = try await recordedChecksums(connection)
        for migration in migrations {
            if let checksum = recorded[migration.version], checksum != migration.checksum {
                throw MigrationError.checksumMismatch(
                    version: migration.version, file: migration.fileName, recorded: checksum,
                    current: migration.checksum)
            }
        }
        var applied: [Migration] = []
        for migration in migrations where recorded[migration.version] == nil {
            do {
                try await connection.transaction { connection in
                    try await connection.execute(PostgresQuery(unsafeSQL: migration.sql))
                    _ = try await connection.query(
                        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, now())",
                        [migration.version, migration.name, migration.checksum])
                }
            } catch {
                throw MigrationError.failed(file: migration.fileName, underlying: error)
            }
            applied.append(migration)
        }
        return applied
    }

    private func recordedChecksums(_ connection: PostgresConnection) async throws -> [Int: String] {
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations")
        var recorded: [Int: String] = [:]
        for row in rows {
            recorded[try row.decode(Int.self, column: "version")] = try row.decode(String.self, column: "checksum")
        }
        return recorded
    }

    private func release(_ connection: PostgresConnection) async throws {
        _ = try await connection.query("SELECT pg_advisory_unlock($1)", [lockKey])
        try await connection.execute("RESET statement_timeout")
    }
}
