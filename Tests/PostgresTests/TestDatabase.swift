import Foundation
import TestProcesses
import Testing

@testable import Postgres

/// The database the tests run against: `DATABASE_URL` when set, otherwise
/// the one `scripts/services.sh start postgres` provides (started on first
/// use), so a bare `swift test` works. Never skips: no database is a failure
/// with instructions.
enum TestDatabase {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static func url() async throws -> String {
        try await resolved.value
    }

    static func configuration() async throws -> PostgresConfiguration {
        try PostgresConfiguration(url: try await url())
    }

    private static let resolved = Task<String, any Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
        _ = try await run(script, ["start", "postgres"])
        let output = try await run(script, ["env"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("DATABASE_URL=") }) else {
            throw Unavailable(description: "scripts/services.sh env printed no DATABASE_URL:\n\(output)")
        }
        return String(line.dropFirst("DATABASE_URL=".count))
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/services.sh").path

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

    /// An admin connection, with a clear failure when no server answers.
    static func connect(_ configuration: PostgresConfiguration? = nil) async throws -> PostgresConnection {
        let resolved: PostgresConfiguration
        if let configuration {
            resolved = configuration
        } else {
            resolved = try await self.configuration()
        }
        let configuration = resolved
        do {
            return try await PostgresConnection.connect(configuration)
        } catch {
            throw Unavailable(
                description:
                    "cannot reach the test database \(configuration) (\(error)); run `scripts/services.sh start postgres` or set DATABASE_URL"
            )
        }
    }

    /// Runs `body` on an admin connection of its own, closed afterwards.
    @discardableResult
    private static func withAdmin<T>(_ base: PostgresConfiguration, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let admin = try await connect(base)
        do {
            let value = try await body(admin)
            await admin.close()
            return value
        } catch {
            await admin.close()
            throw error
        }
    }

    /// Runs `body` with a pool whose `search_path` is a fresh schema, so
    /// tests can run in parallel with plain table names. The schema is
    /// dropped afterwards. The connections that create and drop it are open
    /// only for that (one held through every test would add one connection
    /// per test running to the test cluster's peak).
    @discardableResult
    static func withSchema<T>(
        maxConnections: Int = 4,
        checkoutTimeout: Duration = .seconds(10),
        configure: (inout PostgresConfiguration) -> Void = { _ in },
        _ body: (PostgresPool, String) async throws -> T
    ) async throws -> T {
        let base = try await configuration()
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await withAdmin(base) { try await $0.execute("CREATE SCHEMA \(identifier: schema)") }
        var configuration = base
        configuration.searchPath = [schema]
        configure(&configuration)
        let pool = PostgresPool(
            configuration: configuration, maxConnections: maxConnections, checkoutTimeout: checkoutTimeout)
        func cleanUp() async {
            await pool.close()
            _ = try? await withAdmin(base) { try await $0.execute("DROP SCHEMA \(identifier: schema) CASCADE") }
        }
        do {
            let value = try await body(pool, schema)
            await cleanUp()
            return value
        } catch {
            await cleanUp()
            throw error
        }
    }
}
