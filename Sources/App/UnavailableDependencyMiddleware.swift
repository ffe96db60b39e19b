import Hummingbird
import Postgres
import Redis
import ServerRuntime

/// Turns "PostgreSQL or Redis cannot be reached" into 503 with FastAPI's JSON body instead of
/// a 500.
///
/// A stopped or restarting dependency is an outage the client can wait out, not a bug, and load
/// balancers and the React client retry on 503 (`Retry-After`) but not on 500. Both pools
/// reconnect on their own once the server is back, so no restart is needed. Routes that can do
/// without Redis (cached reads, revocation checks) catch its errors themselves; what reaches
/// this middleware is an operation that cannot.
struct UnavailableDependencyMiddleware<Context: RequestContext>: RouterMiddleware {
    static var databaseDetail: String { "The database is unavailable, try again shortly" }
    static var redisDetail: String { "The session store is unavailable, try again shortly" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PostgresError where error.isUnavailable {
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, detail: Self.databaseDetail, headers: [.retryAfter: "1"])
        } catch let error as RedisError where error.isUnavailable {
            context.logger.warning("redis unavailable", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, detail: Self.redisDetail, headers: [.retryAfter: "1"])
        }
    }
}
