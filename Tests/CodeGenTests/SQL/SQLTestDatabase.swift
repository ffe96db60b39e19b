import Foundation
import TestProcesses
import Testing

/// A PostgreSQL server for the SQL emitter's integration tests, driven through `psql`,
/// `pg_dump` and `createdb`-like statements run by `ToolRun`.
///
/// The server is `DATABASE_URL` when set, otherwise the one `scripts/services.sh start
/// postgres` provides. Never skips: when no server can be reached the test fails and says
/// how to get one.
enum SQLTestDatabase {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The server's URL, resolved once per test process.
    static func url() async throws -> String { try await resolved.value.get() }

    private static let resolved = Task<Result<String, Failure>, Never> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["DATABASE_URL"], !url.isEmpty { return .success(url) }
        let script = SQLTestSupport.repository.appendingPathComponent("scripts/services.sh").path
        do {
            _ = try await run("/bin/bash", [script, "start", "postgres"], what: "DATABASE_URL is not set, so `\(script) start postgres`")
            let output = try await run("/bin/bash", [script, "env"], what: "`\(script) env`")
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("DATABASE_URL=") }) else {
                return .failure(Failure(description: "`\(script) env` printed no DATABASE_URL:\n\(output)"))
            }
            return .success(String(line.dropFirst("DATABASE_URL=".count)))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }

    /// A new, empty database, named so parallel runs never meet; drop it with `drop`.
    static func create(_ purpose: String) async throws -> String {
        let name = "specgen_sql_\(purpose)_" + UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(12)
        do {
            try await psql(database: nil, command: "CREATE DATABASE \"\(name)\"")
        } catch {
            throw Failure(
                description: """
                    cannot create a test database on \(redacted((try? await url()) ?? "?")): \(error)
                    Start PostgreSQL with `scripts/services.sh start postgres` (or `make test`), or point \
                    DATABASE_URL at a server where the user may CREATE DATABASE.
                    """)
        }
        return name
    }

    /// Best effort: a database left behind by a crash is harmless and uniquely named.
    static func drop(_ name: String) async {
        _ = try? await psql(database: nil, command: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
    }

    /// Runs `sql` in one transaction, stopping at the first error.
    static func apply(_ sql: String, to database: String, label: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(database)-\(UUID().uuidString).sql")
        try sql.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try await run(
                "/usr/bin/env", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-d", try await url(for: database), "-f", file.path],
                what: "psql applying \(label)")
        }
    }

    @discardableResult
    static func psql(database: String?, command: String) async throws -> String {
        let target: String
        if let database { target = try await url(for: database) } else { target = try await url() }
        return try await run(
            "/usr/bin/env", ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", target, "-c", command],
            what: "psql -c \(command)")
    }

    /// `pg_dump --schema-only`, without what differs between two databases of the same
    /// schema: comments, `SET` lines, session settings, `\restrict` keys and blank lines.
    static func schemaDump(_ database: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(database)-\(UUID().uuidString).dump.sql")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await run(
            "/usr/bin/env",
            ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", try await url(for: database), "-f", file.path],
            what: "pg_dump of \(database)")
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { line in
                !line.hasPrefix("--") && !line.hasPrefix("SET ") && !line.hasPrefix("SELECT pg_catalog.set_config")
                    && !line.hasPrefix("\\") && !line.allSatisfy(\.isWhitespace)
            }
            .joined(separator: "\n")
    }

    /// The server URL with `database` as its path.
    static func url(for database: String) async throws -> String {
        let server = try await url()
        guard var components = URLComponents(string: server) else {
            throw Failure(description: "DATABASE_URL \(redacted(server)) is not a URL")
        }
        components.path = "/" + database
        guard let text = components.string else { throw Failure(description: "cannot build a URL for \(database)") }
        return text
    }

    /// `url` without its password, for messages: CI may pass a real one.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "the DATABASE_URL"
    }

    /// Runs a program to completion; a non-zero exit is a `Failure` carrying its output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], what: String) async throws -> String {
        let result: ToolRun.Result
        do {
            // A server that does not answer must fail the test, not hang it.
            result = try await ToolRun.run(executable, arguments, environment: ["PGCONNECT_TIMEOUT": "10"], timeout: .seconds(120))
        } catch {
            throw Failure(description: "\(what): cannot start \(executable): \(error)")
        }
        guard result.succeeded else {
            throw Failure(description: "\(what) failed (exit \(result.status)\(result.timedOut ? ", timed out" : "")):\n\(result.output)")
        }
        return result.output
    }
}
