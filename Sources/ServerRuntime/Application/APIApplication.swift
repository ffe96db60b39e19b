public import Hummingbird
public import HummingbirdWebSocket
public import Logging
public import NIOCore
public import ServiceLifecycle

/// Puts the runtime together on Hummingbird: a router with the middlewares in the right order and
/// the docs routes, then an `Application` that runs it.
///
/// ```swift
/// let router = APIApplication.makeRouter(configuration: configuration)
/// ItemsService(...).registerRoutes(on: router, security: auth, configuration: configuration.routes)
/// let app = APIApplication.makeApplication(router: router, configuration: configuration, services: [pool])
/// try await app.runService()  // SIGTERM/SIGINT: stop accepting, drain in-flight requests, stop services
/// ```
public enum APIApplication {
    /// A router with, outermost first: `MetricsMiddleware` when metrics are configured (it sees
    /// the status every client gets), `ErrorMiddleware` (request id, trace context,
    /// FastAPI-shaped errors for everything inside, 404s included), then `CORSPolicyMiddleware`
    /// when configured (preflights are answered before routing; its headers reach error answers
    /// too); then `/metrics` and the docs routes. Routes registered afterwards get the same
    /// middlewares, and middlewares added afterwards (the app's rate limit) do not reach these
    /// routes. HEAD is answered for every GET.
    public static func makeRouter<Context: RequestContext>(
        context: Context.Type = APIRequestContext.self,
        configuration: APIConfiguration
    ) -> Router<Context> {
        let router = Router(context: Context.self, options: .autoGenerateHeadEndpoints)
        if let metrics = configuration.metrics {
            router.add(middleware: MetricsMiddleware<Context>(RequestMetrics(operations: metrics.operations, factory: metrics.factory)))
        }
        router.add(middleware: ErrorMiddleware<Context>())
        if let cors = configuration.cors {
            router.add(middleware: CORSPolicyMiddleware<Context>(cors))
        }
        if var metrics = configuration.metrics {
            if let gate = configuration.requestGate {
                let gauges = RequestGateGauges(gate, factory: metrics.factory)
                let sampleOthers = metrics.beforeScrape
                metrics.beforeScrape = {
                    gauges.sample()
                    sampleOthers()
                }
            }
            MetricsRoute.register(on: router, metrics)
        }
        if let docs = configuration.docs {
            DocsRoutes(docs).register(on: router)
        }
        return router
    }

    /// An application serving `router` behind `configuration.requestGate` (`GatedResponder`:
    /// at most `requestLimit` requests in the router at once, each in a child task; the request
    /// metrics therefore time a request from its admission, and the gate's gauges show the queue
    /// before it). Hummingbird runs the server and `services` (connection
    /// pools, background jobs) in one `ServiceGroup`: on SIGTERM or SIGINT (with `runService()`)
    /// the server stops accepting connections, finishes the requests in flight, then the services
    /// shut down in reverse order.
    public static func makeApplication<Context: RequestContext>(
        router: Router<Context>,
        configuration: APIConfiguration,
        services: [any Service] = [],
        logger: Logger? = nil
    ) -> Application<GatedResponder<RouterResponder<Context>>>
    where Context: InitializableFromSource<ApplicationRequestContextSource> & Sendable {
        Application(
            responder: GatedResponder(router.buildResponder(), gate: configuration.requestGate),
            server: .http1(configuration: .init(additionalChannelHandlers: [CoalescedFlush()])),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: configuration.serverName
            ),
            services: services,
            logger: logger ?? Logger(label: configuration.serverName ?? "api")
        )
    }

    /// Decides, for each HTTP/1 upgrade request, whether it becomes a WebSocket and with which
    /// handler. Declining (`.dontUpgrade`) hands the request to the router, which can then
    /// answer 401 or 426 in the API's error shape.
    public typealias WebSocketUpgrade =
        @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<
            WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
        >

    /// An application serving `router` that also upgrades connections to WebSockets as
    /// `webSocket` decides.
    public static func makeApplication<Context: RequestContext>(
        router: Router<Context>,
        configuration: APIConfiguration,
        services: [any Service] = [],
        logger: Logger? = nil,
        webSocket: @escaping WebSocketUpgrade
    ) -> Application<GatedResponder<RouterResponder<Context>>>
    where Context: InitializableFromSource<ApplicationRequestContextSource> & Sendable {
        Application(
            responder: GatedResponder(router.buildResponder(), gate: configuration.requestGate),
            server: .http1WebSocketUpgrade(
                configuration: .init(http1: .init(additionalChannelHandlers: [CoalescedFlush()])), shouldUpgrade: webSocket),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: configuration.serverName
            ),
            services: services,
            logger: logger ?? Logger(label: configuration.serverName ?? "api")
        )
    }
}
