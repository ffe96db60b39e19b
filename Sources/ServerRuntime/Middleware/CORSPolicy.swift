public import HTTPTypes

/// Which cross-origin callers may use the API, as Starlette's `CORSMiddleware` takes it (the
/// FastAPI template configures it from `BACKEND_CORS_ORIGINS` with credentials allowed).
public struct CORSPolicy: Sendable {
    /// Exact origins (`https://dashboard.example.com`), or `*` for any.
    public var allowedOrigins: [String]
    /// Methods a preflight may ask for; empty means any.
    public var allowedMethods: [HTTPRequest.Method]
    /// Request headers a preflight may ask for (lowercase); empty means any.
    public var allowedHeaders: [String]
    /// Response headers scripts may read; `x-request-id` by default.
    public var exposedHeaders: [String]
    /// Whether cookies and `Authorization` may be sent. With credentials the answer never says
    /// `*`: it names the caller's origin, as browsers require.
    public var allowCredentials: Bool
    /// How long a browser may cache a preflight answer, in seconds.
    public var maxAge: Int

    public init(
        allowedOrigins: [String],
        allowedMethods: [HTTPRequest.Method] = [],
        allowedHeaders: [String] = [],
        exposedHeaders: [String] = ["x-request-id"],
        allowCredentials: Bool = true,
        maxAge: Int = 600
    ) {
        // Origins are compared as browsers send them: no trailing slash.
        self.allowedOrigins = allowedOrigins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders.map { $0.lowercased() }
        self.exposedHeaders = exposedHeaders
        self.allowCredentials = allowCredentials
        self.maxAge = maxAge
    }

    var allowsAnyOrigin: Bool { self.allowedOrigins.contains("*") }

    func allows(origin: String) -> Bool {
        self.allowsAnyOrigin || self.allowedOrigins.contains(origin)
    }

    /// The `Access-Control-Allow-Origin` value for an allowed `origin`.
    func allowOriginValue(for origin: String) -> String {
        self.allowsAnyOrigin && !self.allowCredentials ? "*" : origin
    }
}
