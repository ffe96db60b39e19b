public import HTTPTypes
public import Hummingbird
public import Logging
public import NIOCore

/// What a service method gets besides its input: who is calling and how to log about it.
public struct OperationContext: Sendable {
    /// The request id, also in `logger`'s metadata and the response's `x-request-id`.
    ///
    /// Read from the logger when asked, not when the context is made: Hummingbird's own id is
    /// formatted as text on each read (1.5 µs, measured with perf on `users/me`), and few
    /// operations ever read it.
    public var requestID: String {
        get { self.assignedRequestID ?? RequestIdentifier.current(in: self.logger) }
        set { self.assignedRequestID = newValue }
    }
    private var assignedRequestID: String?
    /// The request's logger, carrying the request id.
    public var logger: Logger
    /// The principal the security handler returned, nil for anonymous operations.
    public var principal: (any AuthenticatedPrincipal)?
    /// The request headers, for what the spec does not model (`User-Agent`, `Accept-Language`).
    public var headers: HTTPFields
    /// The client's address, when the request context knows it.
    public var clientAddress: SocketAddress?
    /// Whether the request's method is GET or HEAD, whose handlers change nothing: a
    /// `DeferredPrincipal` is then settled after the handler, otherwise before it unless it
    /// guards its writes.
    public var isSafeMethod: Bool

    public init(
        requestID: String,
        logger: Logger,
        principal: (any AuthenticatedPrincipal)? = nil,
        headers: HTTPFields = [:],
        clientAddress: SocketAddress? = nil,
        isSafeMethod: Bool = true
    ) {
        self.assignedRequestID = requestID
        self.isSafeMethod = isSafeMethod
        self.logger = logger
        self.principal = principal
        self.headers = headers
        self.clientAddress = clientAddress
    }

    /// The context for a generated route.
    public init(_ request: Request, context: some RequestContext, principal: (any AuthenticatedPrincipal)?) {
        self.assignedRequestID = nil
        self.logger = context.logger
        self.principal = principal
        self.headers = request.headers
        self.clientAddress = (context as? any RemoteAddressRequestContext)?.remoteAddress
        self.isSafeMethod = request.method == .get || request.method == .head
    }

    /// The principal as the app's type, or nil (anonymous, or another type).
    public func principal<Principal: AuthenticatedPrincipal>(as type: Principal.Type = Principal.self) -> Principal? {
        self.principal as? Principal
    }

    /// The principal as the app's type; 401 `Not authenticated` when there is none.
    public func requirePrincipal<Principal: AuthenticatedPrincipal>(_ type: Principal.Type = Principal.self) throws -> Principal {
        guard let principal = self.principal as? Principal else { throw HTTPError.notAuthenticated }
        return principal
    }
}
