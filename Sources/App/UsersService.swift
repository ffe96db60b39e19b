import API
import Database
import Foundation
import Postgres
import ServerRuntime

/// `users`: sign-up, the caller's own profile, and administration by superusers.
public struct UsersService: UsersAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    private static var notSuperuser: HTTPError { HTTPError(.forbidden, detail: Detail.notEnoughPrivileges) }

    public func readUsers(_ input: Operations.readUsers.Input, context: OperationContext) async throws -> Operations.readUsers.Output {
        guard try await context.currentUser().isSuperuser else { return .forbidden(Self.notSuperuser) }
        let page = try await app.users.page(skip: input.skip, limit: input.limit)
        return .ok(UsersPublic(data: page.rows.map(UserPublic.init), count: page.count))
    }

    public func createUser(_ input: Operations.createUser.Input, context: OperationContext) async throws -> Operations.createUser.Output {
        guard try await context.currentUser().isSuperuser else { return .forbidden(Self.notSuperuser) }
        let body = input.body
        try StoredText.check([(body.fullName, ["body", "full_name"])])
        if try await app.users.find(email: body.email) != nil {
            return .badRequest(HTTPError(.badRequest, detail: Detail.emailExists))
        }
        let hashed = try await app.passwords.hash(body.password)
        let user: UserRow
        do {
            user = try await app.users.insert(
                .init(
                    email: body.email, isActive: body.isActive, isSuperuser: body.isSuperuser, fullName: body.fullName,
                    hashedPassword: hashed))
        } catch UserRepository.Violation.duplicateEmail {
            return .badRequest(HTTPError(.badRequest, detail: Detail.emailExists))
        }
        if app.settings.emailsEnabled {
            try await app.emails.send(Emails.newAccount(settings: app.settings, email: user.email), logger: context.logger)
        }
        return .ok(UserPublic(user))
    }

    public func readUserMe(_ input: Operations.readUserMe.Input, context: OperationContext) async throws -> Operations.readUserMe.Output {
        let me = try await context.currentUser().user
        let tag = EntityTag.of(me)
        if EntityTag.matches(input.ifNoneMatch, tag) { return .notModified(headers: .init(eTag: tag, other: EntityTag.cacheControl)) }
        return .ok(me, headers: .init(eTag: tag, other: EntityTag.cacheControl))
    }

    public func deleteUserMe(_ input: Operations.deleteUserMe.Input, context: OperationContext) async throws
        -> Operations.deleteUserMe.Output
    {
        let me = try await context.currentUser()
        if me.isSuperuser { return .forbidden(HTTPError(.forbidden, detail: Detail.superuserSelfDelete)) }
        try await deleteCascading(me.id)
        return .ok(Message(message: "User deleted successfully"))
    }

    public func updateUserMe(_ input: Operations.updateUserMe.Input, context: OperationContext) async throws
        -> Operations.updateUserMe.Output
    {
        let me = try await context.currentUser()
        let body = input.body
        let changes = try UserRepository.Changes(body)
        // `null` for the e-mail (a NOT NULL column) changes nothing, like an absent field.
        if let email = body.email.value, let existing = try await app.users.find(email: email), existing.id != me.id {
            return .conflict(HTTPError(.conflict, detail: Detail.emailTaken))
        }
        do {
            let updated = try await app.users.update(id: me.id, changes)
            await UserLookup(app: app).invalidate(me.id)
            // Deleted between authentication and now.
            guard let updated else { throw HTTPError(.unauthorized, detail: Detail.couldNotValidate) }
            return .ok(UserPublic(updated))
        } catch UserRepository.Violation.duplicateEmail {
            return .conflict(HTTPError(.conflict, detail: Detail.emailTaken))
        }
    }

    public func updatePasswordMe(_ input: Operations.updatePasswordMe.Input, context: OperationContext) async throws
        -> Operations.updatePasswordMe.Output
    {
        let me = try await context.currentUser()
        let body = input.body
        // The hash is not in the (cacheable) current user: read it now.
        guard let row = try await app.users.find(id: me.id) else { throw HTTPError(.unauthorized, detail: Detail.couldNotValidate) }
        guard try await app.passwords.verify(body.currentPassword, against: row.hashedPassword) else {
            return .badRequest(HTTPError(.badRequest, detail: Detail.incorrectPassword))
        }
        if body.currentPassword == body.newPassword {
            return .badRequest(HTTPError(.badRequest, detail: Detail.samePassword))
        }
        let hashed = try await app.passwords.hash(body.newPassword)
        _ = try await app.users.update(id: me.id, .init(hashedPassword: hashed))
        return .ok(Message(message: "Password updated successfully"))
    }

    public func registerUser(_ input: Operations.registerUser.Input, context: OperationContext) async throws
        -> Operations.registerUser.Output
    {
        let body = input.body
        try StoredText.check([(body.fullName, ["body", "full_name"])])
        if try await app.users.find(email: body.email) != nil {
            return .badRequest(HTTPError(.badRequest, detail: Detail.emailExistsSignup))
        }
        let hashed = try await app.passwords.hash(body.password)
        do {
            let user = try await app.users.insert(.init(email: body.email, fullName: body.fullName, hashedPassword: hashed))
            return .ok(UserPublic(user))
        } catch UserRepository.Violation.duplicateEmail {
            return .badRequest(HTTPError(.badRequest, detail: Detail.emailExistsSignup))
        }
    }

    public func readUserById(_ input: Operations.readUserById.Input, context: OperationContext) async throws
        -> Operations.readUserById.Output
    {
        let me = try await context.currentUser()
        if input.userId == me.id { return .ok(me.user) }
        guard me.isSuperuser else { return .forbidden(Self.notSuperuser) }
        guard let user = try await app.users.find(id: input.userId) else {
            return .notFound(HTTPError(.notFound, detail: Detail.userNotFound))
        }
        return .ok(UserPublic(user))
    }

    public func updateUser(_ input: Operations.updateUser.Input, context: OperationContext) async throws -> Operations.updateUser.Output {
        guard try await context.currentUser().isSuperuser else { return .forbidden(Self.notSuperuser) }
        let body = input.body
        try StoredText.check([(body.fullName.value, ["body", "full_name"])])
        guard try await app.users.find(id: input.userId) != nil else {
            return .notFound(HTTPError(.notFound, detail: Detail.noUserWithID))
        }
        if let email = body.email.value, let existing = try await app.users.find(email: email), existing.id != input.userId {
            return .conflict(HTTPError(.conflict, detail: Detail.emailTaken))
        }
        // `null` for a NOT NULL column changes nothing, like an absent field; `full_name: null` clears.
        var changes = UserRepository.Changes(
            email: body.email.value, isActive: body.isActive.value, isSuperuser: body.isSuperuser.value,
            fullName: body.fullName)
        if let password = body.password.value {
            changes.hashedPassword = try await app.passwords.hash(password)
        }
        do {
            let updated = try await app.users.update(id: input.userId, changes)
            await UserLookup(app: app).invalidate(input.userId)
            guard let updated else {
                return .notFound(HTTPError(.notFound, detail: Detail.noUserWithID))
            }
            if !updated.isActive {
                // Its tokens are refused from now on (the user lookup checks); its sockets close.
                await app.notifications.revoke(SocketRevocation(userID: input.userId, reason: .deactivated))
            }
            return .ok(UserPublic(updated))
        } catch UserRepository.Violation.duplicateEmail {
            return .conflict(HTTPError(.conflict, detail: Detail.emailTaken))
        }
    }

    public func deleteUser(_ input: Operations.deleteUser.Input, context: OperationContext) async throws -> Operations.deleteUser.Output {
        let me = try await context.currentUser()
        guard me.isSuperuser else { return .forbidden(Self.notSuperuser) }
        guard try await app.users.find(id: input.userId) != nil else {
            return .notFound(HTTPError(.notFound, detail: Detail.userNotFound))
        }
        if input.userId == me.id { return .forbidden(HTTPError(.forbidden, detail: Detail.superuserSelfDelete)) }
        guard try await deleteCascading(input.userId) else {
            return .notFound(HTTPError(.notFound, detail: Detail.userNotFound))
        }
        return .ok(Message(message: "User deleted successfully"))
    }

    /// Deletes the user, whose items the database deletes with it; their cache entries and
    /// sessions go too, so nothing of theirs is served or accepted afterwards.
    @discardableResult
    private func deleteCascading(_ id: UUID) async throws -> Bool {
        let items = try await app.items.list(ownerId: id, skip: 0, limit: .max).map { $0.id }
        guard try await app.users.delete(id: id) else { return false }
        await app.cache.invalidate([app.keys.cachedUser(id)] + items.map(app.keys.cachedItem))
        for item in items {
            await app.notifications.publish(ItemNotification(event: .deleted, itemId: item, ownerId: id))
        }
        do {
            try await app.sessions.endAll(userID: id)
        } catch {
            // The user row is gone, so their tokens fail the user lookup anyway.
        }
        await app.notifications.revoke(SocketRevocation(userID: id, reason: .deleted))
        return true
    }
}
