/// A principal whose last check is still to come: the credentials verified, but what they name
/// (a user row, say) not yet read, so that the handler can read it together with its own first
/// statement in one round trip instead of one round trip after the other.
///
/// For a request of a safe method (GET, HEAD), whose handler changes nothing, the generated
/// route settles it after the handler, whether the handler returned or threw and whether or not
/// the handler settled it itself; when settling throws, that error is the answer and the
/// handler's output is dropped. So nothing the handler made reaches a caller whose credentials
/// name no valid user, and a 401 is not turned into a 404.
///
/// For any other method the route settles it before the handler, as if it had not been
/// deferred, unless the principal `guardsWrites`: the security handler vouches that this
/// request's handler makes each of its writes conditional on the same check in the same
/// statement (`INSERT ... SELECT ... WHERE` the user is active, say), so that a write happens
/// only for a caller the check admits, even when the check is settled after it.
public protocol DeferredPrincipal: AuthenticatedPrincipal {
    /// Finishes the check; throws what the request should be answered with when it fails.
    /// Called at least once per request; must be cheap after the first time.
    func settle() async throws

    /// Whether the handler of an unsafe request guards its own writes with the check, so the
    /// route need not settle before it (see above). False unless the principal says otherwise.
    var guardsWrites: Bool { get }
}

extension DeferredPrincipal {
    public var guardsWrites: Bool { false }
}

extension OperationContext {
    /// Runs an operation's handler, then settles a `DeferredPrincipal` (see there).
    public func settling<Output>(_ handler: (OperationContext) async throws -> Output) async throws -> Output {
        guard let deferred = principal?.deferred else { return try await handler(self) }
        if !isSafeMethod && !deferred.guardsWrites {
            try await deferred.settle()
            return try await handler(self)
        }
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
