import Hummingbird
import Redis
import ServerRuntime

/// The general per-address limit on every route but the health probes, the docs and `/metrics`,
/// which load balancers, browsers and scrapers poll freely. Over the limit: 429 with `Retry-After` and FastAPI's body.
/// Redis down: the request passes when the policy is fail-open, else 503.
struct RateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let settings: RateLimitSettings
    let metrics: AppMetrics

    static var detail: String { "Too many requests" }
    static var exemptPrefixes: [String] { ["/health/", "/docs", "/redoc", "/openapi.", "/api/v1/utils/health-check/", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard settings.enabled, !Self.exemptPrefixes.contains(where: path.hasPrefix) else {
            return try await next(request, context)
        }
        let address = ClientAddress.key(context.remoteAddress)
        let decision: RateLimiter.Decision
        do {
            decision = try await limiter.hit(["ip:" + address], limit: settings.perWindow)
        } catch let error as RedisError {
            guard settings.failOpen else {
                context.logger.warning("rate limit unavailable, failing closed", metadata: ["error": "\(error)"])
                throw HTTPError(
                    .serviceUnavailable, detail: DependencyOutages.redisDetail, headers: [.retryAfter: "1"])
            }
            context.logger.debug("rate limit unavailable, failing open", metadata: ["error": "\(error)"])
            return try await next(request, context)
        }
        guard decision.allowed else {
            metrics.requestRefusals.increment()
            throw HTTPError(.tooManyRequests, detail: Self.detail, headers: [.retryAfter: String(decision.retryAfter)])
        }
        return try await next(request, context)
    }
}
