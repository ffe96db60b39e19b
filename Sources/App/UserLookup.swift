import API
import Database
import Foundation
import Postgres

/// Users as the API shows them, through the cache: every authenticated request needs its user,
/// so a cache hit here spares PostgreSQL a query per request.
struct UserLookup {
    let app: AppDependencies

    func user(id: UUID) async throws -> UserPublic? {
        if let cached = await app.cache.get(UserPublic.self, key: app.keys.cachedUser(id)) { return cached }
        return try await load(id: id)
    }

    /// From PostgreSQL, then into the cache (under a lease taken before the query, so a write
    /// that races this read cannot leave the old value cached).
    func load(id: UUID) async throws -> UserPublic? {
        let lease = await app.cache.lease(app.keys.cachedUser(id))
        guard let row = try await app.users.find(id: id) else { return nil }
        let user = UserPublic(row)
        await app.cache.put(user, lease: lease)
        return user
    }

    /// Which of two statements sharing a round trip goes first.
    enum Order {
        /// The user's lookup, then the statement: the statement does not depend on the user.
        case userFirst
        /// The statement, then the lookup: the user as it is after the statement ran
        /// (`PendingUser.resolve(guarding:on:)` relies on that).
        case statementFirst
    }

    /// Like `load(id:)`, with `statement` sent in the same round trip on `database` (the one that
    /// holds the users), in `order`.
    func load<Value>(
        id: UUID, with statement: PostgresStatement<Value>, _ order: Order, on database: any PostgresQueryable
    ) async throws -> (UserPublic?, Value) {
        let lease = await app.cache.lease(app.keys.cachedUser(id))
        let lookup = UserRepository.findStatement(id: id)
        let row: UserRow?
        let value: Value
        switch order {
        case .userFirst: (row, value) = try await database.fetch(lookup, statement)
        case .statementFirst: (value, row) = try await database.fetch(statement, lookup)
        }
        let user = row.map(UserPublic.init)
        if let user { await app.cache.put(user, lease: lease) }
        return (user, value)
    }

    /// After any write to the user (or its deletion).
    func invalidate(_ id: UUID) async {
        await app.cache.invalidate([app.keys.cachedUser(id)])
    }
}
