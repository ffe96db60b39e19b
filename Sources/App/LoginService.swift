import API
import Foundation
import Postgres
import Security
import ServerRuntime

/// `login`: access tokens and password recovery.
public struct LoginService: LoginAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    public func loginAccessToken(_ input: LoginAccessToken.Input, context: OperationContext) async throws -> LoginAccessToken.Output {
        let form = input.body
        guard let user = try await authenticate(email: form.username, password: form.password, logger: context.logger) else {
            return .badRequest(HTTPError(.badRequest, detail: Detail.incorrectCredentials))
        }
        guard user.isActive else { return .badRequest(HTTPError(.badRequest, detail: Detail.inactiveUser)) }
        return .ok(Token(accessToken: try app.accessToken(for: user.id), tokenType: "bearer"))
    }

    /// The user whose e-mail and password these are, or nil. An unknown e-mail costs a dummy
    /// verification, so timing does not tell which accounts exist. A hash made with another
    /// cost is replaced after a successful check.
    func authenticate(email: String, password: String, logger: Logger) async throws -> UserRow? {
        let field: ValidationPath = ["body", "password"]
        try PasswordRules.check(password, at: field)
        guard let user = try await app.users.find(email: email) else {
            await app.passwords.verifyDummy()
            return nil
        }
        guard try await app.passwords.verify(password, against: user.hashedPassword, field: field) else { return nil }
        if app.passwords.needsRehash(user.hashedPassword) {
            let rehashed = try await app.passwords.hash(password, field: field)
            if let updated = try await app.users.update(id: user.id, .init(hashedPassword: rehashed)) {
                logger.info("password hash upgraded", metadata: ["user": "\(user.id.uuidString.lowercased())"])
                return updated
            }
        }
        return user
    }

    public func testToken(_ input: TestToken.Input, context: OperationContext) async throws -> TestToken.Output {
        .ok(try context.currentUser().row.publicView)
    }

    public func recoverPassword(_ input: RecoverPassword.Input, context: OperationContext) async throws -> RecoverPassword.Output {
        guard let user = try await app.users.find(email: input.email) else {
            return .notFound(HTTPError(.notFound, detail: Detail.noUserWithEmail))
        }
        let token = try app.passwordResetToken(for: user.email)
        try await app.emails.send(Emails.resetPassword(settings: app.settings, email: user.email, token: token), logger: context.logger)
        return .ok(Message(message: "Password recovery email sent"))
    }

    public func resetPassword(_ input: ResetPassword.Input, context: OperationContext) async throws -> ResetPassword.Output {
        let field: ValidationPath = ["body", "new_password"]
        try PasswordRules.check(input.body.newPassword, at: field)
        let email: String
        do {
            email = try app.tokens.verify(input.body.token, as: .passwordReset).subject
        } catch {
            context.logger.debug("password reset token refused", metadata: ["reason": "\(error)"])
            return .badRequest(HTTPError(.badRequest, detail: Detail.invalidToken))
        }
        guard let user = try await app.users.find(email: email) else {
            return .notFound(HTTPError(.notFound, detail: Detail.noUserWithEmail))
        }
        guard user.isActive else { return .badRequest(HTTPError(.badRequest, detail: Detail.inactiveUser)) }
        let hashed = try await app.passwords.hash(input.body.newPassword, field: field)
        _ = try await app.users.update(id: user.id, .init(hashedPassword: hashed))
        return .ok(Message(message: "Password updated successfully"))
    }

    public func recoverPasswordHtmlContent(
        _ input: RecoverPasswordHtmlContent.Input, context: OperationContext
    ) async throws -> RecoverPasswordHtmlContent.Output {
        guard try context.currentUser().isSuperuser else {
            return .forbidden(HTTPError(.forbidden, detail: Detail.notEnoughPrivileges))
        }
        guard let user = try await app.users.find(email: input.email) else {
            return .notFound(HTTPError(.notFound, detail: Detail.noUserWithUsername))
        }
        let token = try app.passwordResetToken(for: user.email)
        return .ok(Emails.resetPassword(settings: app.settings, email: user.email, token: token).html)
    }
}
