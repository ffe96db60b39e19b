import API
import Foundation
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
    /// is a programming error answered with 401.
    func currentUser() throws -> CurrentUser {
        try requirePrincipal(CurrentUser.self)
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
