import HTTPTypes
public import Hummingbird

/// CORS from a list of origins, with Starlette's behaviour: preflights (`OPTIONS` with `Origin`
/// and `Access-Control-Request-Method`) are answered here without reaching a route; other
/// requests from an allowed origin get the CORS headers added, errors included.
///
/// Hummingbird's own `CORSMiddleware` answers every `OPTIONS` with an `Origin` as a preflight
/// and does not refuse disallowed origins; this one does both as browsers and Starlette expect.
public struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    public let policy: CORSPolicy
    private let allowMethodsValue: String
    private let exposeHeadersValue: String?

    public init(_ policy: CORSPolicy) {
        self.policy = policy
        let methods: [HTTPRequest.Method] =
            policy.allowedMethods.isEmpty ? [.delete, .get, .head, .options, .patch, .post, .put] : policy.allowedMethods
        self.allowMethodsValue = methods.map(\.rawValue).joined(separator: ", ")
        self.exposeHeadersValue = policy.exposedHeaders.isEmpty ? nil : policy.exposedHeaders.joined(separator: ", ")
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        return try await self.handle(request, origin: origin, context: context, next: next)
    }

    /// A request with an `Origin`. A function of its own because an async function's frame is
    /// the largest any of its paths needs, and it is allocated on every call: kept apart, the
    /// CORS headers, their error path and the preflight cost a request without `Origin` (an API
    /// client, a same-origin page) nothing.
    private func handle(
        _ request: Request, origin: String, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .options, let requestedMethod = request.headers[.accessControlRequestMethod] {
            return self.preflight(request, origin: origin, requestedMethod: requestedMethod)
        }
        guard self.policy.allows(origin: origin) else {
            // Not an allowed origin: answer normally, without CORS headers; the browser blocks it.
            return try await next(request, context)
        }
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = self.policy.allowOriginValue(for: origin)
        if self.policy.allowCredentials { headers[.accessControlAllowCredentials] = "true" }
        if let exposeHeadersValue { headers[.accessControlExposeHeaders] = exposeHeadersValue }
        headers[.vary] = "Origin"
        do {
            var response = try await next(request, context)
            for field in headers { response.headers[field.name] = field.value }
            return response
        } catch {
            throw AdditionalHeadersError(base: error, headers: headers)
        }
    }

    private func preflight(_ request: Request, origin: String, requestedMethod: String) -> Response {
        var failures: [String] = []
        if !self.policy.allows(origin: origin) { failures.append("origin") }
        let method = HTTPRequest.Method(requestedMethod)
        if !self.policy.allowedMethods.isEmpty, !self.policy.allowedMethods.contains(where: { $0 == method }) {
            failures.append("method")
        }
        let requestedHeaders = request.headers[.accessControlRequestHeaders]
        if let requestedHeaders, !self.policy.allowedHeaders.isEmpty {
            let names = requestedHeaders.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }
            let simple: Set<String> = ["accept", "accept-language", "content-language", "content-type"]
            if names.contains(where: { !simple.contains($0) && !self.policy.allowedHeaders.contains($0) }) {
                failures.append("headers")
            }
        }
        var headers = HTTPFields()
        headers[.vary] = "Origin"
        guard failures.isEmpty else {
            let detail = "Disallowed CORS \(failures.joined(separator: ", "))"
            return APIResponse.bytes(
                HTTPError(.badRequest, detail: detail).jsonBytes(), status: .badRequest, headers: headers,
                contentType: APIResponse.jsonContentType)
        }
        headers[.accessControlAllowOrigin] = self.policy.allowOriginValue(for: origin)
        headers[.accessControlAllowMethods] = self.allowMethodsValue
        // With no header list configured, echo what the browser asked for (Starlette's `*`).
        let allowHeaders = self.policy.allowedHeaders.isEmpty ? requestedHeaders : self.policy.allowedHeaders.joined(separator: ", ")
        if let allowHeaders, !allowHeaders.isEmpty { headers[.accessControlAllowHeaders] = allowHeaders }
        if self.policy.allowCredentials { headers[.accessControlAllowCredentials] = "true" }
        headers[.accessControlMaxAge] = String(self.policy.maxAge)
        return APIResponse.text("OK", status: .ok, headers: headers)
    }
}
