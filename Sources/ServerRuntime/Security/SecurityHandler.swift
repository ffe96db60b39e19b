public import Hummingbird
public import Logging

/// The app's side of authentication: checks one security scheme of the spec against a request.
///
/// Generated routes call `authenticate(_:requirements:operationID:logger:)`, which evaluates the
/// operation's `security` list; the app implements only this per-scheme check, and the variant
/// that is told the operation when it treats some operations differently. Return nil when the request
/// does not satisfy the scheme (no token, wrong kind of credentials), so other alternatives can
/// be tried and the caller gets FastAPI's 401 `Not authenticated`; throw an `HTTPError` to answer
/// something definite instead (401 for a bad token, 400 `Inactive user`).
public protocol SecurityHandler: Sendable {
    func authenticate(
        _ request: Request,
        scheme: String,
        scopes: [String],
        logger: Logger
    ) async throws -> (any AuthenticatedPrincipal)?

    /// The same check for the operation `operationID` (its generated `Operations.<name>.operationID`:
    /// the spec's `operationId`, else its method and path), so a handler can single out
    /// operations by an identity the compiler checks rather than by the request's path, which
    /// has more than one spelling. By default the operation does not matter.
    func authenticate(
        _ request: Request,
        scheme: String,
        scopes: [String],
        operationID: String,
        logger: Logger
    ) async throws -> (any AuthenticatedPrincipal)?
}

extension SecurityHandler {
    public func authenticate(
        _ request: Request,
        scheme: String,
        scopes: [String],
        operationID: String,
        logger: Logger
    ) async throws -> (any AuthenticatedPrincipal)? {
        try await authenticate(request, scheme: scheme, scopes: scopes, logger: logger)
    }

    /// Evaluates an operation's requirements: any one alternative (OR) whose schemes all (AND)
    /// authenticate admits the request. An empty alternative (`{}` in the spec) admits anyone.
    ///
    /// - Returns: the principal of the first scheme of the alternative that admitted the request,
    ///   nil for an anonymous admission.
    /// - Throws: `HTTPError.notAuthenticated` (401, `WWW-Authenticate: Bearer`) when no
    ///   alternative is satisfied, or whatever the handler threw.
    public func authenticate(
        _ request: Request,
        requirements: SecurityRequirements,
        operationID: String? = nil,
        logger: Logger
    ) async throws -> (any AuthenticatedPrincipal)? {
        if requirements.alternatives.isEmpty { return nil }
        // Schemes shared by several alternatives are checked once.
        var checked: [(scheme: String, scopes: [String], principal: (any AuthenticatedPrincipal)?)] = []
        alternatives: for alternative in requirements.alternatives {
            var first: (any AuthenticatedPrincipal)?
            for requirement in alternative.schemes {
                let principal: (any AuthenticatedPrincipal)?
                if let previous = checked.first(where: { $0.scheme == requirement.scheme && $0.scopes == requirement.scopes }) {
                    principal = previous.principal
                } else {
                    if let operationID {
                        principal = try await self.authenticate(
                            request, scheme: requirement.scheme, scopes: requirement.scopes, operationID: operationID,
                            logger: logger)
                    } else {
                        principal = try await self.authenticate(
                            request, scheme: requirement.scheme, scopes: requirement.scopes, logger: logger)
                    }
                    checked.append((requirement.scheme, requirement.scopes, principal))
                }
                guard let principal else { continue alternatives }
                if first == nil { first = principal }
            }
            return first
        }
        throw HTTPError.notAuthenticated
    }
}
