import Foundation
import Security
import ServerRuntime

/// The spec's `OAuth2PasswordBearer` scheme: a bearer access token (HS256 JWT of type `access`)
/// whose subject is an existing user.
///
/// No token (or another scheme) is "no credentials" and the runtime answers 401 `Not
/// authenticated`. A token that does not verify (signature, expiry, type, subject) or names a
/// user that no longer exists is 401 `Could not validate credentials` (the template answers
/// 403 and 404 there; the spec documents 401, as RFC 6750 asks). A deactivated user is 400
/// `Inactive user`.
public struct AccessTokenSecurity: SecurityHandler {
    public static let scheme = "OAuth2PasswordBearer"

    let tokens: TokenCodec
    let users: UserRepository

    public init(tokens: TokenCodec, users: UserRepository) {
        self.tokens = tokens
        self.users = users
    }

    public func authenticate(_ request: Request, scheme: String, scopes: [String], logger: Logger) async throws -> (
        any AuthenticatedPrincipal
    )? {
        guard scheme == Self.scheme, let token = BearerToken.extract(from: request) else { return nil }
        let claims: TokenClaims
        do {
            claims = try tokens.verify(String(token), as: .access)
        } catch {
            logger.debug("access token refused", metadata: ["reason": "\(error)"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        guard let id = UUID(uuidString: claims.subject) else {
            logger.debug("access token refused", metadata: ["reason": "subject is not a user id"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        guard let user = try await users.find(id: id) else {
            logger.debug("access token refused", metadata: ["reason": "no such user"])
            throw HTTPError(.unauthorized, detail: Detail.couldNotValidate)
        }
        guard user.isActive else { throw HTTPError(.badRequest, detail: Detail.inactiveUser) }
        return CurrentUser(user)
    }
}
