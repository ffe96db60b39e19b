/// Whoever a security scheme recognised: the app's user type, a service account, an API key's
/// owner. The runtime only carries it to the service, which reads it back with its own type
/// through `OperationContext.principal(as:)`.
public protocol AuthenticatedPrincipal: Sendable {}
