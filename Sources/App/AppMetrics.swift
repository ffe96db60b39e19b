import CoreMetrics
import Postgres
import Prometheus
import Redis
import ServerRuntime

/// The app's own metric families, besides the runtime's per-operation request families:
///
/// | family | labels |
/// | --- | --- |
/// | `cache_hits_total`, `cache_misses_total` | |
/// | `rate_limit_refusals_total` | `limit`: `requests` (per address), `login` |
/// | `pool_connections` | `pool`: `postgres`, `redis`; `state`: `in_use`, `idle` |
/// | `pool_waiting` | `pool`: callers waiting for a connection |
///
/// Made through swift-metrics with a factory that writes into this app's Prometheus registry.
/// With `METRICS_ENABLED` off the factory is swift-metrics' no-op one, so counting costs nothing.
public struct AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let enabled: Bool
    let cacheHits: CoreMetrics.Counter
    let cacheMisses: CoreMetrics.Counter
    let requestRefusals: CoreMetrics.Counter
    let loginRefusals: CoreMetrics.Counter
    let pools: [String: PoolGauges]

    struct PoolGauges: Sendable {
        let inUse: CoreMetrics.Gauge
        let idle: CoreMetrics.Gauge
        let waiting: CoreMetrics.Gauge
    }

    public init(enabled: Bool, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.enabled = enabled
        let factory: any MetricsFactory = enabled ? PrometheusMetricsFactory(registry: registry) : NOOPMetricsHandler.instance
        self.cacheHits = CoreMetrics.Counter(label: "cache_hits_total", factory: factory)
        self.cacheMisses = CoreMetrics.Counter(label: "cache_misses_total", factory: factory)
        self.requestRefusals = CoreMetrics.Counter(
            label: "rate_limit_refusals_total", dimensions: [("limit", "requests")], factory: factory)
        self.loginRefusals = CoreMetrics.Counter(label: "rate_limit_refusals_total", dimensions: [("limit", "login")], factory: factory)
        var pools: [String: PoolGauges] = [:]
        for pool in ["postgres", "redis"] {
            pools[pool] = PoolGauges(
                inUse: CoreMetrics.Gauge(label: "pool_connections", dimensions: [("pool", pool), ("state", "in_use")], factory: factory),
                idle: CoreMetrics.Gauge(label: "pool_connections", dimensions: [("pool", pool), ("state", "idle")], factory: factory),
                waiting: CoreMetrics.Gauge(label: "pool_waiting", dimensions: [("pool", pool)], factory: factory))
        }
        self.pools = pools
    }

    /// Sets the pool gauges from the pools' current statistics; run before each scrape, so the
    /// request path never touches them.
    func samplePools(postgres: PostgresPool, redis: RedisClient) {
        let database = postgres.statistics
        record("postgres", inUse: database.leased, idle: database.idle, waiting: database.waiting)
        let cache = redis.statistics
        record("redis", inUse: cache.busy, idle: cache.open - cache.busy, waiting: cache.waiting)
    }

    private func record(_ pool: String, inUse: Int, idle: Int, waiting: Int) {
        guard let gauges = pools[pool] else { return }
        gauges.inUse.record(inUse)
        gauges.idle.record(idle)
        gauges.waiting.record(waiting)
    }
}
