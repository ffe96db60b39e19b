import CoreMetrics

/// `request_gate_requests` by `state` (`running`: in the handlers now; `waiting`: queued at
/// the gate) and `request_gate_limit`: how close the server is to `REQUEST_CONCURRENCY`, and
/// how many requests queue behind it. Sampled before each scrape, like the pool gauges, so the
/// request path never touches them.
struct RequestGateGauges: Sendable {
    let gate: RequestGate
    let running: Gauge
    let waiting: Gauge
    let limit: Gauge

    init(_ gate: RequestGate, factory: any MetricsFactory) {
        self.gate = gate
        running = Gauge(label: "request_gate_requests", dimensions: [("state", "running")], factory: factory)
        waiting = Gauge(label: "request_gate_requests", dimensions: [("state", "waiting")], factory: factory)
        limit = Gauge(label: "request_gate_limit", factory: factory)
        limit.record(gate.limit)
    }

    func sample() {
        let load = gate.load
        running.record(load.running)
        waiting.record(load.waiting)
    }
}
