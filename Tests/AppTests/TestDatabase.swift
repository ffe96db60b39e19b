import Foundation
import Postgres
import TestProcesses
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
        _ = try await run(Self.script, ["start", "postgres"])
        let output = try await run(Self.script, ["env"])
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
        _ = try await run(Self.script, ["start", "redis"])
        let output = try await run(Self.script, ["env"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("REDIS_URL=") }) else {
            throw Unavailable(description: "scripts/services.sh env printed no REDIS_URL:\n\(output)")
        }
        return String(line.dropFirst("REDIS_URL=".count))
    }

    /// Runs `scripts/services.sh` (or another script) to its end and returns its output.
    /// `ToolRun` waits without blocking a thread and opens nothing a daemon the script starts
    /// could inherit; the child gets default signal handling, so `stop` can reach that daemon.
    static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let result = try await ToolRun.run("/bin/bash", [script] + arguments, environment: environment, timeout: .seconds(120))
        guard result.succeeded else {
            throw Unavailable(
                description: """
                    `\(script) \(arguments.joined(separator: " "))` failed (exit \(result.status)\(result.timedOut ? ", timed out" : "")). \
                    Install PostgreSQL (apt-get install postgresql) or point DATABASE_URL at a server. Output:
                    \(result.output)
                    """)
        }
        return result.output
    }

    /// Runs `body` on a connection of its own, closed afterwards.
    private static func withAdmin<T>(_ base: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let admin: PostgresConnection
        do {
            admin = try await PostgresConnection.connect(base)
        } catch {
            throw Unavailable(
                description:
                    "cannot reach the test database \(base) (\(error)); run `scripts/services.sh start postgres` or set DATABASE_URL")
        }
        do {
            let value = try await body(admin)
            await admin.close()
            return value
        } catch {
            await admin.close()
            throw error
        }
    }

    /// Runs `body` with a pool whose `search_path` is a fresh schema holding the migrated
    /// tables; the schema is dropped afterwards. The connections that create and drop the schema
    /// are open only for that: about a hundred such tests run at once, and one held through each
    /// test would add as many connections to the test cluster's peak.
    static func withMigratedSchema<T>(_ body: (PostgresPool) async throws -> T) async throws -> T {
        let base = try await configuration()
        let schema = "app_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await withAdmin(base) { try await $0.execute("CREATE SCHEMA \(identifier: schema)") }
        var configuration = base
        configuration.searchPath = [schema]
        let pool = PostgresPool(configuration: configuration, maxConnections: 4)
        func cleanUp() async {
            await pool.close()
            _ = try? await withAdmin(base) { try await $0.execute("DROP SCHEMA \(identifier: schema) CASCADE") }
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
