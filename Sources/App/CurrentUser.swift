import API
import Foundation
import Postgres
import Security
import ServerRuntime

/// The caller a valid access token names, as the API shows users (no password hash, so it can
/// come from the cache), with the token's claims (`logout` revokes them).
public struct CurrentUser: AuthenticatedPrincipal, Hashable {
    public var user: UserPublic
    public var claims: TokenClaims

    public init(_ user: UserPublic, claims: TokenClaims) {
        self.user = user
        self.claims = claims
    }

    public var id: UUID { user.id }
    public var isSuperuser: Bool { user.isSuperuser }
    /// The session the access token belongs to (`sid`), when it came from a login with Redis up.
    public var sessionID: String? { claims.extra["sid"] }
}

extension OperationContext {
    /// The authenticated user; every route that calls this requires a token, so a missing one
    /// is a programming error answered with 401. Throws 401 for a user that no longer exists and
    /// 400 for an inactive one (read now when the token was admitted as a `PendingUser`).
    func currentUser() async throws -> CurrentUser {
        if let pending = principal(as: PendingUser.self) { return try await pending.resolve() }
        return try requirePrincipal(CurrentUser.self)
    }

    /// The authenticated user (as `currentUser()`) and `statement`'s value, in one round trip on
    /// `database` when the user still has to be read.
    func currentUser<Value>(
        alongside statement: PostgresStatement<Value>, on database: any PostgresQueryable
    ) async throws -> (CurrentUser, Value) {
        if let pending = principal(as: PendingUser.self) { return try await pending.resolve(alongside: statement, on: database) }
        let me = try requirePrincipal(CurrentUser.self)
        return (me, try await database.fetch(statement))
    }

    /// The authenticated user and the value of the write `guarded(id)` makes for user `id`: a
    /// statement that writes only when that user exists and is active, checked in the statement,
    /// and is nil when it wrote nothing (`GuardedItemInsert`). In one round trip with the user's
    /// lookup when the user still has to be read (`PendingUser.resolve(guarding:on:)`); a write
    /// that finds the user gone or inactive answers 400 `Inactive user` or 401.
    func currentUser<Value>(
        guarding guarded: (UUID) -> PostgresStatement<Value?>, on database: any PostgresQueryable
    ) async throws -> (CurrentUser, Value) {
        if let pending = principal(as: PendingUser.self) {
            return try await pending.resolve(guarding: guarded(pending.id), on: database)
        }
        let me = try requirePrincipal(CurrentUser.self)
        // Admitted moments ago; the write's own check found no active user since.
        guard let value = try await database.fetch(guarded(me.id)) else { throw PendingUser.notWritten }
        return (me, value)
    }
}

/// The template's error texts, in one place.
enum Detail {
    static let incorrectCredentials = "Incorrect email or password"
    static let inactiveUser = "Inactive user"
    static let couldNotValidate = "Could not validate credentials"
    static let notEnoughPrivileges = "The user doesn't have enough privileges"
    static let notEnoughPermissions = "Not enough permissions"
    static let itemNotFound = "Item not found"
    static let userNotFound = "User not found"
    static let emailExists = "The user with this email already exists in the system."
    static let emailExistsSignup = "The user with this email already exists in the system"
    static let emailTaken = "User with this email already exists"
    /// The template's answer to a password recovery request, known address or not.
    static let passwordRecoverySent = "If that email is registered, we sent a password recovery link"
    static let noUserWithUsername = "The user with this username does not exist in the system."
    static let noUserWithID = "The user with this id does not exist in the system"
    static let superuserSelfDelete = "Super users are not allowed to delete themselves"
    static let incorrectPassword = "Incorrect password"
    static let samePassword = "New password cannot be the same as the current one"
    static let invalidToken = "Invalid token"
    static let invalidRefreshToken = "Invalid refresh token"
    static let tooManyLoginAttempts = "Too many login attempts, try again later"
}
