public import Hummingbird

/// Times and counts every request by the operation its route answers. Installed outermost, so
/// it sees the status the client gets, error answers included.
public struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    public init(_ metrics: RequestMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method, route: context.endpointPath, status: response.status, duration: .now - start)
            return response
        } catch {
            // Only reached by what `ErrorMiddleware` (inside) lets through: nothing today.
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.record(method: request.method, route: context.endpointPath, status: status, duration: .now - start)
            throw error
        }
    }
}
