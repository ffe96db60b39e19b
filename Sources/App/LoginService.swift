import API
import Database
import Foundation
import Postgres
import Redis
import Security
import ServerRuntime

/// `login`: access tokens and password recovery.
public struct LoginService: LoginAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    public func loginAccessToken(_ input: Operations.loginAccessToken.Input, context: OperationContext) async throws
        -> Operations.loginAccessToken.Output
    {
        let form = input.body
        if let retryAfter = try await loginLimited(username: form.username, context: context) {
            return .tooManyRequests(
                HTTPError(.tooManyRequests, detail: Detail.tooManyLoginAttempts), headers: .init(retryAfter: retryAfter))
        }
        guard let user = try await authenticate(email: form.username, password: form.password, logger: context.logger) else {
            return .badRequest(HTTPError(.badRequest, detail: Detail.incorrectCredentials))
        }
        guard user.isActive else { return .badRequest(HTTPError(.badRequest, detail: Detail.inactiveUser)) }
        // Without Redis the login still works, with an access token alone: the client cannot
        // refresh, but nobody is locked out by a cache outage.
        var grant: SessionStore.Grant?
        do {
            grant = try await app.sessions.start(userID: user.id)
        } catch let error as RedisError {
            context.logger.warning("login without a refresh token: Redis unavailable", metadata: ["error": "\(error)"])
        }
        return .ok(
            Token(
                accessToken: try app.accessToken(for: user.id, sessionID: grant?.sessionID), tokenType: "bearer",
                refreshToken: grant?.refreshToken))
    }

    /// Counts a login attempt against the client's address and the username; the seconds to
    /// wait when either is over the limit. Redis down: the `RATE_LIMIT_FAIL_OPEN` policy.
    private func loginLimited(username: String, context: OperationContext) async throws -> Int? {
        let limits = app.settings.rateLimits
        guard limits.enabled else { return nil }
        let address = ClientAddress.key(context.clientAddress)
        do {
            let decision = try await app.limiter.hit(
                ["login-ip:" + address, "login-user:" + username.lowercased()], limit: limits.loginPerWindow)
            guard !decision.allowed else { return nil }
            app.metrics.loginRefusals.increment()
            return decision.retryAfter
        } catch let error as RedisError {
            guard limits.failOpen else { throw error }
            context.logger.debug("login rate limit unavailable, failing open", metadata: ["error": "\(error)"])
            return nil
        }
    }

    public func refreshAccessToken(_ input: Operations.refreshAccessToken.Input, context: OperationContext) async throws
        -> Operations.refreshAccessToken.Output
    {
        let refused = Operations.refreshAccessToken.Output.unauthorized(HTTPError(.unauthorized, detail: Detail.invalidRefreshToken))
        switch try await app.sessions.rotate(input.body.refreshToken) {
        case .unknown, .revoked:
            return refused
        case .reused(let userID, let sessionID):
            context.logger.warning(
                "refresh token reused: session ended",
                metadata: ["user": "\(userID.uuidString.lowercased())", "session": "\(sessionID)"])
            await app.notifications.revoke(SocketRevocation(userID: userID, sessionID: sessionID, reason: .sessionEnded))
            return refused
        case .rotated(let userID, let sessionID, let refreshToken):
            guard let user = try await UserLookup(app: app).user(id: userID), user.isActive else {
                try await app.sessions.end(sessionID: sessionID, userID: userID, tokenID: nil, tokenExpiresAt: Date())
                return refused
            }
            return .ok(
                Token(
                    accessToken: try app.accessToken(for: userID, sessionID: sessionID), tokenType: "bearer",
                    refreshToken: refreshToken))
        }
    }

    public func logout(_ input: Operations.logout.Input, context: OperationContext) async throws -> Operations.logout.Output {
        let me = try await context.currentUser()
        try await app.sessions.end(sessionID: me.sessionID, userID: me.id, tokenID: me.claims.id, tokenExpiresAt: me.claims.expiresAt)
        await app.notifications.revoke(SocketRevocation(userID: me.id, sessionID: me.sessionID, tokenID: me.claims.id, reason: .logout))
        return .ok(Message(message: "Logged out"))
    }

    public func logoutAll(_ input: Operations.logoutAll.Input, context: OperationContext) async throws -> Operations.logoutAll.Output {
        let me = try await context.currentUser()
        try await app.sessions.endAll(userID: me.id)
        // The calling token too, should it predate sessions.
        try await app.sessions.end(sessionID: me.sessionID, userID: me.id, tokenID: me.claims.id, tokenExpiresAt: me.claims.expiresAt)
        await app.notifications.revoke(SocketRevocation(userID: me.id, reason: .logoutAll))
        return .ok(Message(message: "Logged out everywhere"))
    }

    /// The user whose e-mail and password these are, or nil. An unknown e-mail costs a dummy
    /// verification, so timing does not tell which accounts exist. A hash made with another
    /// cost is replaced after a successful check.
    func authenticate(email: String, password: String, logger: Logger) async throws -> UserRow? {
        guard let user = try await app.users.find(email: email) else {
            await app.passwords.verifyDummy()
            return nil
        }
        guard try await app.passwords.verify(password, against: user.hashedPassword) else { return nil }
        if app.passwords.needsRehash(user.hashedPassword) {
            let rehashed = try await app.passwords.hash(password)
            if let updated = try await app.users.update(id: user.id, .init(hashedPassword: rehashed)) {
                logger.info("password hash upgraded", metadata: ["user": "\(user.id.uuidString.lowercased())"])
                return updated
            }
        }
        return user
    }

    public func testToken(_ input: Operations.testToken.Input, context: OperationContext) async throws -> Operations.testToken.Output {
        .ok(try await context.currentUser().user)
    }

    /// One answer for every address, so the response does not tell which accounts exist. Both
    /// paths do the same work (the lookup, a signed token, the rendered e-mail) and delivery
    /// happens off the request path, so the response time does not tell either: SMTP alone takes
    /// long enough to be measured.
    public func recoverPassword(_ input: Operations.recoverPassword.Input, context: OperationContext) async throws
        -> Operations.recoverPassword.Output
    {
        let user = try await app.users.find(email: input.email)
        let address = user?.email ?? input.email
        let email = Emails.resetPassword(settings: app.settings, email: address, token: try app.passwordResetToken(for: address))
        if user != nil {
            app.sendInBackground(email, logger: context.logger)
        }
        return .ok(Message(message: Detail.passwordRecoverySent))
    }

    public func resetPassword(_ input: Operations.resetPassword.Input, context: OperationContext) async throws
        -> Operations.resetPassword.Output
    {
        let claims: TokenClaims
        do {
            claims = try app.tokens.verify(input.body.token, as: .passwordReset)
        } catch {
            context.logger.debug("password reset token refused", metadata: ["reason": "\(error)"])
            return .badRequest(HTTPError(.badRequest, detail: Detail.invalidToken))
        }
        // A token outlives its user's deletion or deactivation: the same refusal as a bad token,
        // so a stale link tells nothing about the account.
        guard let user = try await app.users.find(email: claims.subject), user.isActive else {
            context.logger.debug("password reset token refused", metadata: ["reason": "no active user"])
            return .badRequest(HTTPError(.badRequest, detail: Detail.invalidToken))
        }
        let hashed = try await app.passwords.hash(input.body.newPassword)
        // One use per link: a reset link left in a mailbox must not reset the password again.
        guard let tokenID = claims.id, try await app.sessions.consumeOnce(tokenID: tokenID, expiresAt: claims.expiresAt) else {
            context.logger.debug("password reset token refused", metadata: ["reason": "already used"])
            return .badRequest(HTTPError(.badRequest, detail: Detail.invalidToken))
        }
        _ = try await app.users.update(id: user.id, .init(hashedPassword: hashed))
        // Whoever knew the old password loses the sessions they opened with it.
        do {
            try await app.sessions.endAll(userID: user.id)
        } catch let error as RedisError {
            context.logger.warning("sessions not ended after a password reset", metadata: ["error": "\(error)"])
        }
        await app.notifications.revoke(SocketRevocation(userID: user.id, reason: .passwordReset))
        return .ok(Message(message: "Password updated successfully"))
    }

    public func recoverPasswordHtmlContent(
        _ input: Operations.recoverPasswordHtmlContent.Input, context: OperationContext
    ) async throws -> Operations.recoverPasswordHtmlContent.Output {
        guard try await context.currentUser().isSuperuser else {
            return .forbidden(HTTPError(.forbidden, detail: Detail.notEnoughPrivileges))
        }
        guard let user = try await app.users.find(email: input.email) else {
            return .notFound(HTTPError(.notFound, detail: Detail.noUserWithUsername))
        }
        let token = try app.passwordResetToken(for: user.email)
        return .ok(Emails.resetPassword(settings: app.settings, email: user.email, token: token).html)
    }
}
