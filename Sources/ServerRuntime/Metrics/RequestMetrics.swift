public import CoreMetrics
public import HTTPTypes
import Synchronization

/// The request families `/metrics` shows, labelled by the spec's operation id:
/// `http_requests_total`, `http_request_duration_seconds` (a histogram) and
/// `http_request_errors_total` by `status_class` (`4xx`, `5xx`).
///
/// Every operation's handles are made up front, so a request only reads an immutable dictionary
/// and bumps atomics (and its own histogram's lock): no registry lock on the request path.
/// Routes outside the table (docs, `/metrics`, the 405 answers, HEAD) are labelled
/// `METHOD /route`, and not-found requests `NotFound`: both sets are bounded by the router, never
/// by what clients send.
public final class RequestMetrics: Sendable {
    struct Handles: Sendable {
        let requests: Counter
        let duration: CoreMetrics.Timer
        let clientErrors: Counter
        let serverErrors: Counter
    }

    public static let requestsLabel = "http_requests_total"
    public static let durationLabel = "http_request_duration_seconds"
    public static let errorsLabel = "http_request_errors_total"

    let factory: any MetricsFactory
    let known: [String: Handles]
    let others = Mutex<[String: Handles]>([:])

    public init(operations: OperationTable, factory: any MetricsFactory) {
        self.factory = factory
        var byOperation: [String: Handles] = [:]
        for id in operations.operationIDs { byOperation[id] = Self.handles(operation: id, factory: factory) }
        self.known = operations.ids.mapValues { byOperation[$0]! }
    }

    /// Counts one answered request; `route` is the matched route (`RequestContext.endpointPath`).
    public func record(method: HTTPRequest.Method, route: String?, status: HTTPResponse.Status, duration: Duration) {
        let handles = self.handles(method: method, route: route)
        handles.requests.increment()
        handles.duration.recordNanoseconds(duration.nanosecondsClamped)
        switch status.kind {
        case .clientError: handles.clientErrors.increment()
        case .serverError: handles.serverErrors.increment()
        default: break
        }
    }

    func handles(method: HTTPRequest.Method, route: String?) -> Handles {
        guard let route else { return other("NotFound") }
        if let handles = known[OperationTable.key(method: method, route: route)] { return handles }
        return other(route == "NotFound" ? route : OperationTable.key(method: method, route: route))
    }

    private func other(_ label: String) -> Handles {
        others.withLock { others in
            if let handles = others[label] { return handles }
            let handles = Self.handles(operation: label, factory: factory)
            others[label] = handles
            return handles
        }
    }

    private static func handles(operation: String, factory: any MetricsFactory) -> Handles {
        let labels = [("operation", operation)]
        return Handles(
            requests: Counter(label: requestsLabel, dimensions: labels, factory: factory),
            duration: CoreMetrics.Timer(label: durationLabel, dimensions: labels, factory: factory),
            clientErrors: Counter(label: errorsLabel, dimensions: labels + [("status_class", "4xx")], factory: factory),
            serverErrors: Counter(label: errorsLabel, dimensions: labels + [("status_class", "5xx")], factory: factory)
        )
    }
}

extension Duration {
    /// The duration in nanoseconds, saturating instead of trapping.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = self.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
