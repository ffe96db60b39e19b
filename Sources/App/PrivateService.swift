import API
import Database
import Postgres
import ServerRuntime

/// `private`: creates users without a token, for local development and end-to-end tests. The
/// template mounts these routes only when `ENVIRONMENT=local`; elsewhere they answer 404 as an
/// unknown path does.
public struct PrivateService: PrivateAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    public func privateCreateUser(_ input: Operations.privateCreateUser.Input, context: OperationContext) async throws
        -> Operations.privateCreateUser.Output
    {
        guard app.settings.environment == .local else { throw HTTPError(.notFound, detail: "Not Found") }
        let body = input.body
        try StoredText.check([(body.fullName, ["body", "full_name"])])
        let hashed = try await app.passwords.hash(body.password)
        do {
            let user = try await app.users.insert(.init(email: body.email, fullName: body.fullName, hashedPassword: hashed))
            return .ok(UserPublic(user))
        } catch UserRepository.Violation.duplicateEmail {
            // The template lets the database error through (a 500); a 400 says what happened.
            return .badRequest(HTTPError(.badRequest, detail: Detail.emailExists))
        }
    }
}
