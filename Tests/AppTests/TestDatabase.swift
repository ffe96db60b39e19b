import Foundation
import Postgres
import Testing

/// The database the tests run against: `DATABASE_URL` when set, otherwise the one
/// `scripts/services.sh start postgres` provides (started on first use), so a bare `swift test`
/// works. Never skips: no database is a failure with instructions.
enum TestDatabase {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let migrations = repository.appendingPathComponent("Generated/SQL/migrations", isDirectory: true)

    static func configuration() async throws -> PostgresConfiguration {
        try PostgresConfiguration(url: try await resolved.value)
    }

    private static let resolved = Task<String, any Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
        _ = try run(Self.script, ["start", "postgres"])
        let output = try run(Self.script, ["env"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("DATABASE_URL=") }) else {
            throw Unavailable(description: "scripts/services.sh env printed no DATABASE_URL:\n\(output)")
        }
        return String(line.dropFirst("DATABASE_URL=".count))
    }

    static let script = repository.appendingPathComponent("scripts/services.sh").path

    /// The shared test Redis: `REDIS_URL` when set, otherwise `scripts/services.sh`'s.
    static func redisURL() async throws -> String { try await resolvedRedis.value }

    private static let resolvedRedis = Task<String, any Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["REDIS_URL"], !url.isEmpty { return url }
        _ = try run(Self.script, ["start", "redis"])
        let output = try run(Self.script, ["env"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("REDIS_URL=") }) else {
            throw Unavailable(description: "scripts/services.sh env printed no REDIS_URL:\n\(output)")
        }
        return String(line.dropFirst("REDIS_URL=".count))
    }

    private static let scriptLock = NSLock()

    /// Runs `scripts/services.sh` and returns its output. posix_spawn and waitpid rather than
    /// Foundation's `Process` (whose `waitUntilExit` can hang on Linux), output to a file so the
    /// servers it starts do not inherit a pipe.
    static func run(_ script: String, _ arguments: [String], environment overrides: [String: String] = [:]) throws -> String {
        scriptLock.lock()
        defer { scriptLock.unlock() }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.merging(overrides) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
        guard spawned == 0 else { throw Unavailable(description: "\(script) could not be run (errno \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Unavailable(
                description: """
                    `\(script) \(arguments.joined(separator: " "))` failed. Install PostgreSQL \
                    (apt-get install postgresql) or point DATABASE_URL at a server. Output:
                    \(output)
                    """)
        }
        return output
    }

    /// Runs `body` with a pool whose `search_path` is a fresh schema holding the migrated
    /// tables; the schema is dropped afterwards.
    static func withMigratedSchema<T>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        let base = try await configuration()
        let admin: PostgresConnection
        do {
            admin = try await PostgresConnection.connect(base)
        } catch {
            throw Unavailable(
                description:
                    "cannot reach the test database \(base) (\(error)); run `scripts/services.sh start postgres` or set DATABASE_URL")
        }
        let schema = "app_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await admin.execute("CREATE SCHEMA \(identifier: schema)")
        var configuration = base
        configuration.searchPath = [schema]
        let pool = PostgresPool(configuration: configuration, maxConnections: 4)
        func cleanUp() async {
            await pool.close()
            _ = try? await admin.execute("DROP SCHEMA \(identifier: schema) CASCADE")
            await admin.close()
        }
        do {
            try await Migrator(directory: migrations).migrate(on: pool)
            let value = try await body(pool)
            await cleanUp()
            return value
        } catch {
            await cleanUp()
            throw error
        }
    }
}
