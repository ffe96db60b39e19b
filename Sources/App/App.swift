import API
import Foundation
import Postgres
import ServerRuntime
import ServiceLifecycle

/// Puts the example app together: the generated routes on the runtime's router, served by the
/// services over PostgreSQL.
public enum ExampleApp {
    /// The runtime configuration from the settings: CORS for `BACKEND_CORS_ORIGINS` plus
    /// `FRONTEND_HOST` (with credentials, as the template), docs when given, `/metrics` when
    /// `METRICS_ENABLED`. The metrics label requests by the operation ids of `operations`, by
    /// default those of the docs' `/openapi.json`; without either, by method and route.
    public static func apiConfiguration(
        settings: Settings,
        host: String = "127.0.0.1",
        port: Int = 8000,
        docs: DocsConfiguration? = nil,
        operations: OperationTable? = nil
    ) -> APIConfiguration {
        var metrics: MetricsConfiguration?
        if settings.metricsEnabled {
            let table = operations ?? docs?.openAPIJSON.flatMap { try? OperationTable(openAPIDocument: $0) } ?? OperationTable()
            metrics = MetricsConfiguration(operations: table, bearerToken: settings.metricsToken)
        }
        return APIConfiguration(
            host: host,
            port: port,
            cors: CORSPolicy(allowedOrigins: settings.allCORSOrigins),
            docs: docs,
            metrics: metrics,
            requestLimit: settings.requestConcurrency > 0 ? settings.requestConcurrency : nil,
            inlineConnections: settings.requestInlineConnections
        )
    }

    /// The documentation routes' configuration: `/openapi.json` from the bundled document the
    /// generator writes (`Generated/openapi.json`), `/openapi.yaml` from the spec. A file that
    /// cannot be read leaves its route out and is reported in `problems`.
    public static func docsConfiguration(
        title: String,
        openAPIJSON: URL?,
        openAPIYAML: URL?,
        assetsDirectory: String? = nil
    ) -> (docs: DocsConfiguration, problems: [String]) {
        var problems: [String] = []
        func read(_ url: URL?) -> [UInt8]? {
            guard let url else { return nil }
            do {
                return Array(try Data(contentsOf: url))
            } catch {
                problems.append("cannot read \(url.path): \(error.localizedDescription)")
                return nil
            }
        }
        let docs = DocsConfiguration(
            title: title, openAPIJSON: read(openAPIJSON), openAPIYAML: read(openAPIYAML), assetsDirectory: assetsDirectory)
        return (docs, problems)
    }

    /// A router with every operation of the spec registered.
    public static func makeRouter(
        dependencies: AppDependencies,
        configuration: APIConfiguration
    ) -> Router<APIRequestContext> {
        var configuration = configuration
        if var metrics = configuration.metrics {
            // One registry for the runtime's request families and the app's own.
            metrics.registry = dependencies.metrics.registry
            let (appMetrics, pool, redis) = (dependencies.metrics, dependencies.pool, dependencies.redis)
            metrics.beforeScrape = { appMetrics.samplePools(postgres: pool, redis: redis) }
            configuration.metrics = metrics
        }
        let router = APIApplication.makeRouter(configuration: configuration)
        // Settings are read once at start: with rate limits off the layer is left out, not passed
        // through on every request.
        if dependencies.settings.rateLimits.enabled {
            router.add(
                middleware: RateLimitMiddleware(
                    limiter: dependencies.limiter, settings: dependencies.settings.rateLimits, metrics: dependencies.metrics))
        }
        registerAPIRoutes(
            on: router,
            login: LoginService(dependencies),
            users: UsersService(dependencies),
            utils: UtilsService(dependencies),
            health: HealthService(dependencies),
            items: ItemsService(dependencies),
            private: PrivateService(dependencies),
            // Creating an item checks its owner in the insert itself (`GuardedItemInsert`).
            security: AccessTokenSecurity(dependencies, guardedWrites: [Operations.createItem.operationID]),
            configuration: configuration.routes
        )
        NotificationSocket.register(on: router, app: dependencies)
        return router
    }

    /// The application: the router served on `configuration`'s address, the notifications
    /// WebSocket, and the Redis subscription that feeds it. `runService()` stops on SIGTERM/SIGINT
    /// after the requests in flight are answered.
    public static func makeApplication(
        dependencies: AppDependencies,
        configuration: APIConfiguration,
        logger: Logger
    ) -> some ApplicationProtocol {
        APIApplication.makeApplication(
            router: makeRouter(dependencies: dependencies, configuration: configuration),
            configuration: configuration,
            services: services(dependencies: dependencies, logger: logger),
            logger: logger,
            webSocket: NotificationSocket.upgrade(dependencies)
        )
    }

    /// What runs beside the HTTP server: the notifications' Redis subscription, and the heap
    /// trimmer unless `MEMORY_TRIM_SECONDS` is 0.
    static func services(dependencies: AppDependencies, logger: Logger) -> [any Service] {
        var services: [any Service] = [dependencies.notifications]
        let trimSeconds = dependencies.settings.memoryTrimSeconds
        if trimSeconds > 0 { services.append(HeapTrimmer(interval: .seconds(trimSeconds), logger: logger)) }
        return services
    }
}
