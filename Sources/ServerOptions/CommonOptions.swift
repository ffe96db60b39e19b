import App
import ArgumentParser
import Foundation
import Logging
import Postgres
import ServerRuntime
import Synchronization

// What the `server` command and the benchmark's `bench-fixtures` tool share: the options that
// find the settings, the database and the migrations, and a pool's lifetime.

/// Options every command shares.
public struct CommonOptions: ParsableArguments {
    public init() {}

    @Option(name: .customLong("env-file"), help: "The .env file to read (ignored when missing, unless given explicitly).")
    public var envFile: String?

    @Option(help: "The migrations folder.")
    public var migrations = "Generated/SQL/migrations"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    public var logLevel = "info"

    @Option(
        name: .customLong("log-format"),
        help: "text, or json for one JSON object per line (default: LOG_FORMAT from the environment or .env, else text).")
    public var logFormat: String?

    @Option(name: .customLong("database-wait"), help: "Seconds to wait for PostgreSQL to accept connections at start-up.")
    public var databaseWait = 30

    public var dotEnvFile: URL { URL(fileURLWithPath: envFile ?? ".env") }

    public func logger(_ label: String) throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ArgumentParser.ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        try Self.bootstrapLogging(format: logFormat ?? logFormatSetting())
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// `LOG_FORMAT` from the environment, else from the .env file (where the other settings
    /// live), else nil.
    func logFormatSetting() -> String? {
        if let value = ProcessInfo.processInfo.environment["LOG_FORMAT"], !value.isEmpty { return value }
        return (try? DotEnv.load(dotEnvFile))?["LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    private static let loggingBootstrapped = Mutex(false)

    /// Installs the log handler for `format`: `text` (or nil) for `TextLogHandler` on standard
    /// error, `json` for `JSONLogHandler` on standard output. swift-log takes one bootstrap per
    /// process, so only the first call installs one; a command makes its logger once.
    static func bootstrapLogging(format: String?) throws {
        let json: Bool
        switch format?.lowercased() {
        case nil, "text": json = false
        case "json": json = true
        default:
            throw ArgumentParser.ValidationError("LOG_FORMAT (--log-format) must be text or json, got '\(format ?? "")'")
        }
        let first = loggingBootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        if json {
            LoggingSystem.bootstrap(
                { label, provider in JSONLogHandler.standardOutput(label: label, metadataProvider: provider) }, metadataProvider: nil)
        } else {
            LoggingSystem.bootstrap(
                { label, provider in TextLogHandler.standardError(label: label, metadataProvider: provider) }, metadataProvider: nil)
        }
    }

    public func settings(logger: Logger) throws -> Settings {
        let settings = try Settings.load(dotEnvFile: dotEnvFile, dotEnvRequired: envFile != nil)
        for warning in settings.warnings { logger.warning("\(warning)") }
        return settings
    }

    public func migrator() throws -> Migrator {
        let directory = URL(fileURLWithPath: migrations, isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw ServerError("the migrations folder \(directory.path) does not exist (see --migrations)")
        }
        return try Migrator(directory: directory)
    }

    /// Waits until PostgreSQL answers, as the template's `backend_pre_start` does.
    public func waitForDatabase(_ pool: PostgresPool, logger: Logger) async throws {
        let deadline = ContinuousClock.now + .seconds(max(0, databaseWait))
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await pool.query("SELECT 1")
                return
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
                if attempt == 1 {
                    logger.warning("waiting for PostgreSQL", metadata: ["database": "\(pool.configuration)", "error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    public func migrate(_ pool: PostgresPool, logger: Logger) async throws {
        let applied = try await migrator().migrate(on: pool)
        if applied.isEmpty {
            logger.info("database schema is up to date")
        } else {
            for migration in applied { logger.info("migration applied", metadata: ["file": "\(migration.fileName)"]) }
        }
    }
}

/// A start-up failure, printed as `Error: <description>` with exit status 1.
public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` with a pool, closed afterwards whatever happens.
public func withPool<T>(_ configuration: PostgresConfiguration, size: Int, _ body: (PostgresPool) async throws -> T) async throws -> T {
    let pool = PostgresPool(configuration: configuration, maxConnections: size)
    do {
        let value = try await body(pool)
        await pool.close()
        return value
    } catch {
        await pool.close()
        throw error
    }
}
