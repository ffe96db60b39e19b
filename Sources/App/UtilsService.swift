import API
import ServerRuntime

/// `utils`: health check and test e-mail.
public struct UtilsService: UtilsAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    public func testEmail(_ input: Operations.testEmail.Input, context: OperationContext) async throws -> Operations.testEmail.Output {
        guard try await context.currentUser().isSuperuser else {
            return .forbidden(HTTPError(.forbidden, detail: Detail.notEnoughPrivileges))
        }
        try await app.emails.send(Emails.test(settings: app.settings, email: input.emailTo), logger: context.logger)
        return .created(Message(message: "Test email sent"))
    }

    public func healthCheck(_ input: Operations.healthCheck.Input, context: OperationContext) async throws -> Operations.healthCheck.Output
    {
        .ok(true)
    }
}
