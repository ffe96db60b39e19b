public import Prometheus

/// `/metrics`: the server's metrics in Prometheus text format.
///
/// The app makes its metrics through `factory` (swift-metrics' API), which writes into
/// `registry`; the route prints the registry. Each application has its own registry, so several
/// apps in one process (the tests) never mix their counts, and nothing needs the process-wide
/// `MetricsSystem.bootstrap`.
public struct MetricsConfiguration: Sendable {
    public var registry: PrometheusCollectorRegistry
    /// Route ids by path and method, for the request families' `operation` label.
    public var operations: OperationTable
    /// When set, a scrape must send `Authorization: Bearer <token>`; otherwise 401.
    public var bearerToken: String?
    public var path: String
    /// Runs before each scrape: gauges that sample a state (pool statistics) are set here
    /// rather than on every change.
    public var beforeScrape: @Sendable () -> Void

    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        operations: OperationTable = OperationTable(),
        bearerToken: String? = nil,
        path: String = "/metrics",
        beforeScrape: @escaping @Sendable () -> Void = {}
    ) {
        self.registry = registry
        self.operations = operations
        self.bearerToken = bearerToken
        self.path = path
        self.beforeScrape = beforeScrape
    }

    /// swift-metrics' view of `registry`.
    public var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }
}
