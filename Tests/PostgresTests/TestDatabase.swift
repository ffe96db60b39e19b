import Foundation
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
        _ = try run(script, ["start", "postgres"])
        let output = try run(script, ["env"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("DATABASE_URL=") }) else {
            throw Unavailable(description: "scripts/services.sh env printed no DATABASE_URL:\n\(output)")
        }
        return String(line.dropFirst("DATABASE_URL=".count))
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/services.sh").path

    private static let scriptLock = NSLock()

    /// Runs `scripts/services.sh` and returns its output (blocking; fine in
    /// tests). posix_spawn and waitpid rather than Foundation's `Process`,
    /// whose `waitUntilExit` can miss the child's exit on Linux when several
    /// run from concurrent tasks, and hang the test run. Output goes to a file,
    /// not a pipe: the servers the script starts must not inherit a pipe the
    /// test reads to its end.
    static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
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
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw Unavailable(description: "\(script) could not be run (errno \(spawned))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Unavailable(
                description: """
                    `\(script) \(arguments.joined(separator: " "))` failed (\(exited ? "exit \(code)" : "signal \(status & 0x7f)")). \
                    Install PostgreSQL (apt-get install postgresql) or point DATABASE_URL at a server. Output:
                    \(output)
                    """)
        }
        return output
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

    /// Runs `body` with a pool whose `search_path` is a fresh schema, so
    /// tests can run in parallel with plain table names. The schema is
    /// dropped afterwards.
    @discardableResult
    static func withSchema<T>(
        maxConnections: Int = 4,
        checkoutTimeout: Duration = .seconds(10),
        configure: (inout PostgresConfiguration) -> Void = { _ in },
        _ body: (PostgresPool, String) async throws -> T
    ) async throws -> T {
        let base = try await configuration()
        let admin = try await connect(base)
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await admin.execute("CREATE SCHEMA \(identifier: schema)")
        var configuration = base
        configuration.searchPath = [schema]
        configure(&configuration)
        let pool = PostgresPool(
            configuration: configuration, maxConnections: maxConnections, checkoutTimeout: checkoutTimeout)
        func cleanUp() async {
            await pool.close()
            _ = try? await admin.execute("DROP SCHEMA \(identifier: schema) CASCADE")
            await admin.close()
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
