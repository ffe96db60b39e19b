import API
import Foundation
import Redis
import Security
import ServerRuntime

/// The spec's `OAuth2PasswordBearer` scheme: a bearer access token (HS256 JWT of type `access`)
/// whose subject is an existing user and whose session was not ended.
///
/// No token (or another scheme) is "no credentials" and the runtime answers 401 `Not
/// authenticated`. A token that does not verify (signature, expiry, type, subject), was revoked
/// (logout, logout everywhere, refresh token reuse) or names a user that no longer exists is 401
/// `Could not validate credentials` (the template answers 403 and 404 there; the spec documents
/// 401, as RFC 6750 asks). A deactivated user is 400 `Inactive user`.
///
/// The revocation check comes from this process's `RevocationList`, or from Redis while the list
/// cannot answer, and the user from the cache; when Redis cannot be reached, the revocation
/// check is skipped with a warning and the user is read from PostgreSQL: an outage of the cache
/// must not lock everyone out, and a revoked token stays short-lived anyway.
public struct AccessTokenSecurity: SecurityHandler {
    public static let scheme = "OAuth2PasswordBearer"

    let app: AppDependencies
    /// The operations (by `Operations.<name>.operationID`) whose handlers make their write
    /// conditional on the user in the same statement (`OperationContext.currentUser(guarding:on:)`):
    /// their user is read in the write's round trip, as for a GET. Every other write has its user
    /// read before the handler.
    let guardedWrites: Set<String>

    public init(_ app: AppDependencies, guardedWrites: Set<String> = []) {
        self.app = app
        self.guardedWrites = guardedWrites
    }

    public func authenticate(_ request: Request, scheme: String, scopes: [String], logger: Logger) async throws -> (
        any AuthenticatedPrincipal
    )? {
        try await authenticate(request, scheme: scheme, operationID: nil, logger: logger)
    }

    public func authenticate(
        _ request: Request, scheme: String, scopes: [String], operationID: String, logger: Logger
    ) async throws -> (any AuthenticatedPrincipal)? {
        try await authenticate(request, scheme: scheme, operationID: operationID, logger: logger)
    }

    /// `operationID` is looked up in `guardedWrites` only for a write whose user is not cached:
    /// the one case it decides, so a read pays no hash of it.
    private func authenticate(_ request: Request, scheme: String, operationID: String?, logger: Logger) async throws -> (
        any AuthenticatedPrincipal
    )? {
        guard scheme == Self.scheme, let token = BearerToken.extract(from: request) else { return nil }
        let verified = try await Self.verify(token: String(token), app: app, logger: logger)
        if let user = verified.cached { return try Self.admit(user, claims: verified.claims, logger: logger) }
        // A GET or HEAD handler changes nothing, so its user is read together with the handler's
        // own first statement (`OperationContext.currentUser(alongside:on:)`); the generated route
        // settles the check after the handler either way (`DeferredPrincipal`).
        if request.method == .get || request.method == .head {
            return PendingUser(id: verified.id, claims: verified.claims, app: app, logger: logger)
        }
        if let operationID, guardedWrites.contains(operationID) {
            return PendingUser(id: verified.id, claims: verified.claims, app: app, logger: logger, guardsWrites: true)
        }
        return try await Self.admit(UserLookup(app: app).load(id: verified.id), claims: verified.claims, logger: logger)
    }

    /// The user `token` authenticates, or the error to answer with; shared with the WebSocket route.
    static func currentUser(token: String, app: AppDependencies, logger: Logger) async throws -> CurrentUser {
        let verified = try await verify(token: token, app: app, logger: logger)
        var found = verified.cached
        if found == nil { found = try await UserLookup(app: app).load(id: verified.id) }
        return try admit(found, claims: verified.claims, logger: logger)
    }

    /// The user a token names, when it exists and is active; otherwise the error to answer with.
    static func admit(_ user: UserPublic?, claims: TokenClaims, logger: Logger) throws -> CurrentUser {
        guard let user else {
            logger.debug("access token refused", metadata: ["reason": "no such user"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        guard user.isActive else { throw HTTPError(.badRequest, detail: Detail.inactiveUser) }
        return CurrentUser(user, claims: claims)
    }

    /// A token that verified and was not revoked: its claims, its subject, and the user when the
    /// cache held it.
    struct VerifiedToken {
        var claims: TokenClaims
        var id: UUID
        var cached: UserPublic?
    }

    /// Checks `token`'s signature, expiry, type and subject and that its session was not ended;
    /// reads the cached user in the same Redis round trip.
    static func verify(token: String, app: AppDependencies, logger: Logger) async throws -> VerifiedToken {
        let claims: TokenClaims
        do {
            claims = try app.tokens.verify(token, as: .access)
        } catch {
            logger.debug("access token refused", metadata: ["reason": "\(error)"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        // Not `UUID(uuidString:)`, which goes through `sscanf` on every request.
        guard case .success(let id) = UUIDText.parse(claims.subject) else {
            logger.debug("access token refused", metadata: ["reason": "subject is not a user id"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        // The revocation check and the cached user travel in one round trip; none at all when
        // this process's revocation list can answer and the cache is off.
        var cached: UserPublic?
        let sessionID = claims.extra["sid"]
        let revoked = app.sessions.locallyRevoked(sessionID: sessionID, tokenID: claims.id)
        if revoked == true {
            logger.debug("access token refused", metadata: ["reason": "revoked"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        do {
            let check = revoked == nil ? app.sessions.revocationCheck(sessionID: sessionID, tokenID: claims.id) : nil
            var commands: [[any RedisArgument]] = check.map { [$0] } ?? []
            if app.cache.enabled { commands.append(["GET", app.keys.cachedUser(id)]) }
            let replies = commands.isEmpty ? [] : try await app.redis.pipeline(commands)
            if check != nil, try SessionStore.isRevoked(try replies[0].get()) {
                logger.debug("access token refused", metadata: ["reason": "revoked"])
                throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
            }
            if app.cache.enabled, let reply = try? replies[replies.count - 1].get() {
                cached = app.cache.decode(UserPublic.self, from: reply)
            }
        } catch let error as RedisError {
            logger.warning("revocation check skipped: Redis unavailable", metadata: ["error": "\(error)"])
        }
        return VerifiedToken(claims: claims, id: id, cached: cached)
    }
}
