import Postgres
import Redis
import ServerRuntime

/// "PostgreSQL or Redis cannot be reached" is answered 503 with FastAPI's JSON body, not 500
/// (`ErrorMiddleware` maps every `DependencyUnavailableError` outage). Both pools reconnect on
/// their own once the server is back, so no restart is needed. Routes that can do without Redis
/// (cached reads, revocation checks) catch its errors themselves; what reaches the error
/// middleware is an operation that cannot.
enum DependencyOutages {
    static var databaseDetail: String { "The database is unavailable, try again shortly" }
    static var redisDetail: String { "The session store is unavailable, try again shortly" }
}

extension PostgresError: DependencyUnavailableError {
    public var unavailableDetail: String? { isUnavailable ? DependencyOutages.databaseDetail : nil }
}

extension RedisError: DependencyUnavailableError {
    public var unavailableDetail: String? { isUnavailable ? DependencyOutages.redisDetail : nil }
}
