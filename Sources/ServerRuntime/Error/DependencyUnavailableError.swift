/// An error that may mean a dependency (a database, a session store) cannot be reached right now.
/// `ErrorMiddleware` answers such an outage with 503, `Retry-After` and the detail in FastAPI's
/// shape, and logs a warning, instead of a 500: a stopped or restarting dependency is something
/// a client can wait out, and load balancers and the React client retry on 503 but not on 500.
/// Answering it there, rather than in a middleware of its own, saves every request a layer.
public protocol DependencyUnavailableError: Error {
    /// What the client is told; nil when this error is not an outage (a failed query).
    var unavailableDetail: String? { get }
}
