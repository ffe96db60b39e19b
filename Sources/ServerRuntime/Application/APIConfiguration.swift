/// How `APIApplication` sets up the server.
public struct APIConfiguration: Sendable {
    /// Address to bind (`127.0.0.1`, or `0.0.0.0` in a container).
    public var host: String
    public var port: Int
    /// `Server` header value; nil sends none.
    public var serverName: String?
    /// Per-route settings (the body size limit).
    public var routes: RouteConfiguration
    /// Cross-origin policy; nil installs no CORS middleware.
    public var cors: CORSPolicy?
    /// Documentation routes; nil installs none (the template hides them outside local/staging).
    public var docs: DocsConfiguration?
    /// `/metrics` and the request metrics; nil installs neither (`METRICS_ENABLED` off).
    public var metrics: MetricsConfiguration?
    /// At most this many requests run at once, the rest wait in arrival order (`RequestGate`);
    /// nil sets no bound.
    public var requestLimit: Int? {
        didSet { requestGate = Self.gate(requestLimit, inlineConnections) }
    }
    /// How many open connections skip the child task behind the gate (`InlineConnections`).
    public var inlineConnections: Int {
        didSet { requestGate = Self.gate(requestLimit, inlineConnections) }
    }
    /// The gate for `requestLimit`: one object, so the application that waits on it and the
    /// metrics that sample it see the same counts. Copies of this configuration share it.
    public private(set) var requestGate: RequestGate?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8000,
        serverName: String? = nil,
        routes: RouteConfiguration = .init(),
        cors: CORSPolicy? = nil,
        docs: DocsConfiguration? = nil,
        metrics: MetricsConfiguration? = nil,
        requestLimit: Int? = nil,
        inlineConnections: Int = RequestGate.defaultInlineConnections
    ) {
        self.host = host
        self.port = port
        self.serverName = serverName
        self.routes = routes
        self.cors = cors
        self.docs = docs
        self.metrics = metrics
        self.requestLimit = requestLimit
        self.inlineConnections = inlineConnections
        self.requestGate = Self.gate(requestLimit, inlineConnections)
    }

    private static func gate(_ limit: Int?, _ inlineConnections: Int) -> RequestGate? {
        limit.map { RequestGate(limit: $0, inlineConnections: inlineConnections) }
    }
}
