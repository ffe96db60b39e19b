import App
import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

/// Creating an item checks its owner in the insert itself (`GuardedItemInsert`), in the same
/// round trip as the user's lookup when the cache does not hold the user: a deleted or
/// deactivated user's request writes nothing, whatever admitted it a moment before.
@Suite("Items: the create's guarded insert")
struct GuardedCreateTests {
    static let body = #"{"title":"Milk","description":"2 litres"}"#

    @Test(arguments: ["0", "60"])
    func aDeactivatedUserCreatesNothing(cacheSeconds: String) async throws {
        try await TestApp.run(settings: ["CACHE_TTL_SECONDS": cacheSeconds]) { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "later-inactive@example.com")
            // With the cache on, the user is cached as active and stays so below: the repository
            // write bypasses the app's invalidation, so only the insert's own check can refuse.
            #expect(try await client.send(.get, "/api/v1/users/me", headers: headers).status == .ok)
            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: false))

            let refused = try await client.send(.post, "/api/v1/items/", headers: headers, json: Self.body)
            #expect(refused.status == .badRequest)
            #expect(refused.detail == "Inactive user")
            #expect(try await app.dependencies.items.count(ownerId: user.id) == 0)

            // Active again: the same request creates the item, with the insert's defaults.
            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: true))
            let created = try await client.send(.post, "/api/v1/items/", headers: headers, json: Self.body)
            #expect(created.status == .ok, "\(created.text)")
            #expect(try created.json["owner_id"]?.stringValue == user.id.uuidString.lowercased())
            #expect(try created.json["description"] == "2 litres")
            let stored = try #require(try await app.dependencies.items.list(ownerId: user.id).first)
            #expect(try created.json["id"]?.stringValue == stored.id.uuidString.lowercased())
            #expect(abs(stored.createdAt.timeIntervalSinceNow) < 60)
        }
    }

    @Test func aDeletedUserCreatesNothing() async throws {
        try await TestApp.run(settings: ["CACHE_TTL_SECONDS": "0"]) { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "gone-soon@example.com")
            _ = try await app.dependencies.users.delete(id: user.id)
            let before = try await app.dependencies.items.count()
            let refused = try await client.send(.post, "/api/v1/items/", headers: headers, json: Self.body)
            #expect(refused.status == .unauthorized)
            #expect(refused.detail == "Could not validate credentials")
            #expect(try await app.dependencies.items.count() == before)
        }
    }

    /// The owner's check still answers before the body's errors, and a good owner's bad body
    /// is a 422 that writes nothing.
    @Test func theOwnersCheckAnswersBeforeTheBody() async throws {
        try await TestApp.run(settings: ["CACHE_TTL_SECONDS": "0"]) { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "careless@example.com")
            let invalid = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"title":""}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(try await app.dependencies.items.count(ownerId: user.id) == 0)

            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: false))
            let inactive = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"title":""}"#)
            #expect(inactive.status == .badRequest)
            #expect(inactive.detail == "Inactive user")
        }
    }

    /// The guard follows the operation (its generated `operationID`), not the request's path:
    /// whatever spelling reaches the create, an inactive user's request writes nothing.
    @Test func anotherSpellingOfThePathWritesNothingEither() async throws {
        try await TestApp.run(settings: ["CACHE_TTL_SECONDS": "0"]) { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "spelling@example.com")
            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: false))
            let refused = try await client.send(.post, "/api/v1/items", headers: headers, json: Self.body)
            #expect(refused.status == .badRequest || refused.status == .notFound || refused.status == .methodNotAllowed)
            #expect(try await app.dependencies.items.count(ownerId: user.id) == 0)
        }
    }
}
