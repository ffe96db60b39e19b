import App
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import Postgres
import Redis
import ServerOptions
import ServerRuntime

/// `server`: runs the example app.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "The example app's server: the spec's API over PostgreSQL.",
        discussion: """
            Settings come from the environment and a .env file (the environment wins), under the \
            FastAPI template's names: SECRET_KEY, ACCESS_TOKEN_EXPIRE_MINUTES, DATABASE_URL or \
            POSTGRES_SERVER, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB; \
            FIRST_SUPERUSER, FIRST_SUPERUSER_PASSWORD, BACKEND_CORS_ORIGINS, FRONTEND_HOST, \
            ENVIRONMENT (local, staging or production).
            """,
        subcommands: [Serve.self, Migrate.self, CreateSuperuser.self],
        defaultSubcommand: Serve.self
    )

    /// Swift Concurrency's jobs run on NIO's event loops, installed before the command runs
    /// (`EventLoopExecutor`: as generic-executor jobs, which a first version, NIO's own take-over,
    /// did not). A request's task then stays on the loop that reads its socket (the current loop
    /// is picked when a job is enqueued from one), the Redis client answers it on that same loop (see
    /// `RedisClient.nextSlot`), and the cooperative pool's two extra threads are gone: 4.3 thread
    /// switches per uncached item read instead of 7.3, and in one A/B run (release, wrk -c64,
    /// cache off) read item 8,210 against 5,431 req/s, users/me 11,021 against 7,639, health
    /// unchanged within the machine's noise. Nothing in the server blocks inside a task:
    /// password hashing has its own `WorkerPool` threads and PostgreSQL its poll threads. The
    /// in-process app tests run without it; those that start this binary (several instances,
    /// the API fuzzer, the walkthrough) run with it.
    static func main() async {
        if !EventLoopExecutor.install() {
            FileHandle.standardError.write(Data("warning: another global executor was installed first; tasks run on it\n".utf8))
        }
        await Self.main(nil)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate, create the first superuser, then serve the API (SIGTERM drains in-flight requests).")

    @OptionGroup var common: CommonOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8000

    @Option(name: .customLong("openapi-json"), help: "The bundled document served at /openapi.json.")
    var openAPIJSON = "Generated/openapi.json"

    @Option(name: .customLong("openapi-yaml"), help: "The spec served at /openapi.yaml.")
    var openAPIYAML = "spec/openapi.yaml"

    @Option(
        name: .customLong("docs-assets"),
        help:
            "A folder with Swagger UI and ReDoc assets (scripts/docs-assets.sh fills it); where the files are missing they load from a CDN."
    )
    var docsAssets = ProcessInfo.processInfo.environment["DOCS_ASSETS_DIR"] ?? ".data/docs-assets"

    @Flag(name: .customLong("no-docs"), help: "Serve no /docs, /redoc, /openapi.json or /openapi.yaml.")
    var noDocs = false

    @Flag(name: .customLong("skip-migrations"), help: "Do not apply pending migrations at start-up.")
    var skipMigrations = false

    func run() async throws {
        let logger = try common.logger("server")
        let settings = try common.settings(logger: logger)
        let pool = PostgresPool(
            configuration: settings.database, maxConnections: settings.databasePoolSize,
            minConnections: settings.databasePoolMinimum, idleTimeout: settings.databasePoolIdleTimeout,
            healthCheckInterval: settings.databasePoolPingInterval)
        // Redis may be down at start-up: the app degrades (no cache, no refresh tokens) and
        // recovers when it comes back, so its absence is not a reason to refuse to start.
        let redis = RedisClient(configuration: settings.redis, connections: settings.redisConnections)
        do {
            try await common.waitForDatabase(pool, logger: logger)
            if !skipMigrations { try await common.migrate(pool, logger: logger) }
            do {
                try await redis.ping()
            } catch {
                logger.warning(
                    "Redis does not answer; serving without it until it does",
                    metadata: ["redis": "\(settings.redis)", "error": "\(error)"])
            }
            let dependencies = try AppDependencies(
                settings: settings, pool: pool, redis: redis, emails: AppDependencies.emailSender(for: settings), logger: logger)
            try await FirstSuperuser.ensure(dependencies, logger: logger)
            var docs: DocsConfiguration?
            if !noDocs {
                let (configuration, problems) = ExampleApp.docsConfiguration(
                    title: settings.projectName,
                    openAPIJSON: URL(fileURLWithPath: openAPIJSON),
                    openAPIYAML: URL(fileURLWithPath: openAPIYAML),
                    assetsDirectory: docsAssets)
                for problem in problems { logger.warning("docs: \(problem)") }
                docs = configuration
            }
            // The metrics' operation ids come from the bundled document, served or not.
            var operations: OperationTable?
            if settings.metricsEnabled {
                do {
                    operations = try OperationTable(openAPIDocument: Array(Data(contentsOf: URL(fileURLWithPath: openAPIJSON))))
                } catch {
                    logger.warning("metrics: cannot read the operation ids of \(openAPIJSON), labelling by route: \(error)")
                }
            }
            let configuration = ExampleApp.apiConfiguration(
                settings: settings, host: host, port: port, docs: docs, operations: operations)
            let app = ExampleApp.makeApplication(dependencies: dependencies, configuration: configuration, logger: logger)
            // Start-up is over: what only it ran leaves the resident set (see `CodePages`).
            let pagedOut = CodePages.pageOut()
            logger.debug("start-up code paged out", metadata: ["mappings.bytes": "\(pagedOut)"])
            logger.info(
                "serving",
                metadata: [
                    "environment": "\(settings.environment.rawValue)", "database": "\(settings.database)",
                    "docs": "\(docs == nil ? "off" : "http://\(host):\(port)/docs")",
                    "metrics": "\(settings.metricsEnabled ? "http://\(host):\(port)/metrics" : "off")",
                ])
            try await app.runService()
            await pool.close()
            await redis.close()
            logger.info("stopped")
        } catch {
            await pool.close()
            await redis.close()
            throw error
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the pending migrations (Generated/SQL/migrations).")

    @OptionGroup var common: CommonOptions

    @Flag(name: .customLong("dry-run"), help: "List the pending migrations without applying them.")
    var dryRun = false

    func run() async throws {
        let logger = try common.logger("migrate")
        let database = try DatabaseSettings.load(dotEnvFile: common.dotEnvFile, dotEnvRequired: common.envFile != nil)
        let migrator = try common.migrator()
        try await withPool(database, size: 1) { pool in
            try await common.waitForDatabase(pool, logger: logger)
            if dryRun {
                let pending = try await migrator.pending(on: pool)
                print(pending.isEmpty ? "no pending migrations" : pending.map(\.fileName).joined(separator: "\n"))
                return
            }
            let applied = try await migrator.migrate(on: pool)
            print(applied.isEmpty ? "no pending migrations" : applied.map { "applied \($0.fileName)" }.joined(separator: "\n"))
        }
    }
}

struct CreateSuperuser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-superuser",
        abstract: "Create FIRST_SUPERUSER with FIRST_SUPERUSER_PASSWORD, unless that user exists.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let logger = try common.logger("create-superuser")
        let settings = try common.settings(logger: logger)
        try await withPool(settings.database, size: 1) { pool in
            try await common.waitForDatabase(pool, logger: logger)
            // Creating a user needs no Redis; the pool opens no connection until asked.
            let redis = RedisClient(configuration: settings.redis, connections: 1)
            let dependencies = try AppDependencies(settings: settings, pool: pool, redis: redis, logger: logger)
            let outcome = try await FirstSuperuser.ensure(dependencies, logger: logger)
            await redis.close()
            switch outcome {
            case .created(let user): print("created superuser \(user.email) (\(user.id.uuidString.lowercased()))")
            case .alreadyExists(let user): print("superuser \(user.email) already exists; nothing changed")
            }
        }
    }
}
