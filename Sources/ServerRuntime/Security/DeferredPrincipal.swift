/// A principal whose last check is still to come: the credentials verified, but what they name
/// (a user row, say) not yet read, so that the handler can read it together with its own first
/// statement in one round trip instead of one round trip after the other.
///
/// A security handler may return one for requests of a safe method (GET, HEAD), whose handlers
/// change nothing. The generated route settles it after the handler, whether the handler
/// returned or threw and whether or not the handler settled it itself; when settling throws,
/// that error is the answer and the handler's output is dropped. So nothing the handler made
/// reaches a caller whose credentials name no valid user, and a 401 is not turned into a 404.
public protocol DeferredPrincipal: AuthenticatedPrincipal {
    /// Finishes the check; throws what the request should be answered with when it fails.
    /// Called at least once per request; must be cheap after the first time.
    func settle() async throws
}

extension OperationContext {
    /// Runs an operation's handler, then settles a `DeferredPrincipal` (see there).
    public func settling<Output>(_ handler: (OperationContext) async throws -> Output) async throws -> Output {
        guard let deferred = principal?.deferred else { return try await handler(self) }
        let output: Output
        do {
            output = try await handler(self)
        } catch {
            try await deferred.settle()
            throw error
        }
        try await deferred.settle()
        return output
    }
}
