import Hummingbird
import Postgres
import ServerRuntime

/// Turns "PostgreSQL cannot be reached" into 503 with FastAPI's JSON body instead of a 500.
///
/// A stopped or restarting database is an outage the client can wait out, not a bug, and load
/// balancers and the React client retry on 503 (`Retry-After`) but not on 500. The pool
/// reconnects on its own once the server is back, so no restart is needed.
struct DatabaseUnavailableMiddleware<Context: RequestContext>: RouterMiddleware {
    static var detail: String { "The database is unavailable, try again shortly" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PostgresError where error.isUnavailable {
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            throw HTTPError(.serviceUnavailable, detail: Self.detail, headers: [.retryAfter: "1"])
        }
    }
}
