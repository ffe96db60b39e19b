import Foundation
import Security
import Testing

@testable import Postgres

@Suite struct MigratorTests {
    static let migrations = [
        Migration(version: 1, name: "create_counter", sql: "CREATE TABLE counter (step int NOT NULL); SELECT pg_sleep(0.2);"),
        Migration(version: 2, name: "first_step", sql: "INSERT INTO counter VALUES (2);"),
        Migration(
            version: 3, name: "second_step",
            sql: "ALTER TABLE counter ADD COLUMN note text; INSERT INTO counter VALUES (3, 'third');"),
    ]

    /// A lock key of its own, so this test does not queue behind others.
    static func uniqueLockKey() -> Int64 { Int64.random(in: 1...Int64.max) }

    @Test func migratesFromEmptyThenDoesNothing() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let migrator = try Migrator(migrations: Self.migrations.reversed(), lockKey: Self.uniqueLockKey())
            #expect(try await migrator.pending(on: pool).map(\.version) == [1, 2, 3])
            let applied = try await migrator.migrate(on: pool)
            #expect(applied.map(\.version) == [1, 2, 3])
            let recorded = try await pool.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            #expect(try recorded.map { try $0.decode(Int.self, column: "version") } == [1, 2, 3])
            #expect(try recorded.map { try $0.decode(String.self, column: "name") } == ["create_counter", "first_step", "second_step"])
            #expect(try recorded.map { try $0.decode(String.self, column: "checksum") } == Self.migrations.map(\.checksum))
            #expect(try await pool.query("SELECT count(*) FROM counter")[0].decode(Int.self) == 2)

            #expect(try await migrator.migrate(on: pool).isEmpty)
            #expect(try await migrator.pending(on: pool).isEmpty)
            #expect(try await pool.query("SELECT count(*) FROM counter")[0].decode(Int.self) == 2)

            // A new migration is picked up on the next run.
            let more = try Migrator(
                migrations: Self.migrations + [Migration(version: 4, name: "later", sql: "INSERT INTO counter VALUES (4)")],
                lockKey: migrator.lockKey)
            #expect(try await more.migrate(on: pool).map(\.version) == [4])
        }
    }

    @Test func changedChecksumIsRefused() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let key = Self.uniqueLockKey()
            try await Migrator(migrations: Self.migrations, lockKey: key).migrate(on: pool)
            var edited = Self.migrations
            edited[1] = Migration(
                version: 2, name: "first_step", sql: "INSERT INTO counter VALUES (20);", fileName: "0002_first_step.sql")
            edited.append(Migration(version: 4, name: "later", sql: "INSERT INTO counter VALUES (4)"))
            do {
                try await Migrator(migrations: edited, lockKey: key).migrate(on: pool)
                Issue.record("an edited migration was accepted")
            } catch let error as MigrationError {
                guard case .checksumMismatch(let version, let file, _, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(version == 2)
                #expect(file == "0002_first_step.sql")
                #expect("\(error)".contains("0002_first_step.sql"))
            }
            // Nothing after the mismatch ran, and the lock was released.
            #expect(try await pool.query("SELECT count(*) FROM counter")[0].decode(Int.self) == 2)
            let free = try await pool.query("SELECT pg_try_advisory_lock(\(key)) AS free")[0].decode(Bool.self)
            #expect(free)
        }
    }

    @Test func failedMigrationIsRolledBack() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let broken =
                Self.migrations + [
                    Migration(version: 4, name: "broken", sql: "CREATE TABLE half (a int); SELECT no_such_function();")
                ]
            let migrator = try Migrator(migrations: broken, lockKey: Self.uniqueLockKey())
            await #expect {
                try await migrator.migrate(on: pool)
            } throws: { error in
                guard case .failed(let file, _) = error as? MigrationError else { return false }
                return file == "0004_broken.sql"
            }
            let half = try await pool.query("SELECT to_regclass('half') IS NULL AS absent")
            #expect(try half[0].decode(Bool.self, column: "absent"))
            #expect(try await migrator.pending(on: pool).map(\.version) == [4])
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        try await TestDatabase.withSchema { pool, schema in
            let key = Self.uniqueLockKey()
            var ownConfiguration = try await TestDatabase.configuration()
            ownConfiguration.searchPath = [schema]
            let configuration = ownConfiguration
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let ownPool = PostgresPool(configuration: configuration, maxConnections: 1)
                        do {
                            let versions = try await Migrator(migrations: Self.migrations, lockKey: key)
                                .migrate(on: ownPool).map(\.version)
                            await ownPool.close()
                            return versions
                        } catch {
                            await ownPool.close()
                            throw error
                        }
                    }
                }
                var all: [[Int]] = []
                for try await versions in group { all.append(versions) }
                return all
            }
            #expect(applied.flatMap { $0 }.sorted() == [1, 2, 3])
            #expect(applied.filter { !$0.isEmpty }.count == 1)
            #expect(try await pool.query("SELECT count(*) FROM schema_migrations")[0].decode(Int.self) == 3)
            let steps = try await pool.query("SELECT step FROM counter ORDER BY step").decode(Int.self)
            #expect(steps == [2, 3])
        }
    }

    @Test func loadsNumberedFilesInOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE b ();".write(to: folder.appendingPathComponent("0010_add_b.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE a ();".write(to: folder.appendingPathComponent("0002_add_a.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let migrator = try Migrator(directory: folder)
        #expect(migrator.migrations.map(\.version) == [2, 10])
        #expect(migrator.migrations.map(\.name) == ["add_a", "add_b"])
        #expect(migrator.migrations.map(\.fileName) == ["0002_add_a.sql", "0010_add_b.sql"])
        #expect(migrator.migrations[0].checksum == Digest.hex(Digest.sha256("CREATE TABLE a ();".utf8)))
        #expect(migrator.lockKey == Migrator.defaultLockKey)

        try "x".write(to: folder.appendingPathComponent("0010_again.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try Migrator(directory: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("0010_again.sql"))
        try "x".write(to: folder.appendingPathComponent("add_c.sql"), atomically: true, encoding: .utf8)
        #expect {
            try Migrator(directory: folder)
        } throws: { error in
            guard case .invalidFileName(let name) = error as? MigrationError else { return false }
            return name == "add_c.sql"
        }
    }
}
