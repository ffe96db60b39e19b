import Database
import Foundation
import Logging
import Postgres
import Security
import ServerRuntime
import Synchronization

/// A verified, unrevoked access token whose user is still to be read from PostgreSQL: what
/// `AccessTokenSecurity` admits a GET or HEAD request with when the cache does not hold the user,
/// so that the handler can read the user together with its own first statement, one round trip
/// instead of two (`OperationContext.currentUser(alongside:on:)`). It admits the writes it was
/// told guard themselves (`guardsWrites`) the same way: their handler's write carries the user
/// check in its own statement (`OperationContext.currentUser(guarding:on:)`).
///
/// The outcome is kept, so the check runs once per request however often it is asked for; the
/// generated route asks once more after the handler (`DeferredPrincipal`), which is how a handler
/// that never looks at its user still answers 401 for a deleted user and 400 for an inactive one.
final class PendingUser: DeferredPrincipal {
    let id: UUID
    let claims: TokenClaims
    let guardsWrites: Bool
    private let app: AppDependencies
    private let logger: Logger
    private let outcome = Mutex<Result<CurrentUser, any Error>?>(nil)

    init(id: UUID, claims: TokenClaims, app: AppDependencies, logger: Logger, guardsWrites: Bool = false) {
        self.id = id
        self.claims = claims
        self.guardsWrites = guardsWrites
        self.app = app
        self.logger = logger
    }

    func settle() async throws {
        _ = try await resolve()
    }

    /// The user, read now unless it was already.
    func resolve() async throws -> CurrentUser {
        if let known = outcome.withLock({ $0 }) { return try known.get() }
        return try await keep {
            try AccessTokenSecurity.admit(try await UserLookup(app: app).load(id: id), claims: claims, logger: logger)
        }
    }

    /// The user and `statement`'s value; both statements go out together when the user was not
    /// read yet. `database` is the one that holds the users (the app has one).
    func resolve<Value>(
        alongside statement: PostgresStatement<Value>, on database: any PostgresQueryable
    ) async throws -> (CurrentUser, Value) {
        if let known = outcome.withLock({ $0 }) { return (try known.get(), try await database.fetch(statement)) }
        let (user, value) = try await UserLookup(app: app).load(id: id, with: statement, .userFirst, on: database)
        let me = try await keep { try AccessTokenSecurity.admit(user, claims: claims, logger: logger) }
        return (me, value)
    }

    /// The user and the value of `write`, a statement that writes only when this user exists and
    /// is active (checked in the statement itself) and is nil when it wrote nothing. Both go out
    /// in one round trip, the write first, so the user read is the user after it.
    ///
    /// The write decides: it wrote, so the user was there and active when it ran (a user
    /// deleted since took the row with them, and the lookup answers 401); it wrote nothing, so the
    /// answer is the lookup's refusal, or 400 `Inactive user` when the lookup found the user
    /// active again by then.
    func resolve<Value>(
        guarding write: PostgresStatement<Value?>, on database: any PostgresQueryable
    ) async throws -> (CurrentUser, Value) {
        if let known = outcome.withLock({ $0 }) {
            let me = try known.get()
            guard let value = try await database.fetch(write) else { throw Self.notWritten }
            return (me, value)
        }
        let (user, written) = try await UserLookup(app: app).load(id: id, with: write, .statementFirst, on: database)
        let me = try await keep {
            if written != nil, let user { return CurrentUser(user, claims: claims) }
            let me = try AccessTokenSecurity.admit(user, claims: claims, logger: logger)
            guard written != nil else { throw Self.notWritten }
            return me
        }
        guard let written else { throw Self.notWritten }
        return (me, written)
    }

    /// A guarded write that found no active user.
    static let notWritten = HTTPError(.badRequest, detail: Detail.inactiveUser)

    /// Runs the check and keeps its outcome, error included.
    private func keep(_ check: () async throws -> CurrentUser) async throws -> CurrentUser {
        let result: Result<CurrentUser, any Error>
        do {
            result = .success(try await check())
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
        return try result.get()
    }
}
