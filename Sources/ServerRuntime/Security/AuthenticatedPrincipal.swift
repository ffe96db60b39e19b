/// Whoever a security scheme recognised: the app's user type, a service account, an API key's
/// owner. The runtime only carries it to the service, which reads it back with its own type
/// through `OperationContext.principal(as:)`.
public protocol AuthenticatedPrincipal: Sendable {
    /// The principal itself when its last check is still to come (`DeferredPrincipal`), else
    /// nil. A requirement rather than a cast: the generated route asks on every request, and
    /// `as? any DeferredPrincipal` looked the conformance up each time (about 1,100
    /// instructions per request; callgrind).
    var deferred: (any DeferredPrincipal)? { get }
}

extension AuthenticatedPrincipal {
    public var deferred: (any DeferredPrincipal)? { nil }
}

extension DeferredPrincipal {
    public var deferred: (any DeferredPrincipal)? { self }
}
