import App
import Foundation
import HummingbirdTesting
import Postgres
import ServerRuntime
import Testing

/// Single items and the current user are served from Redis with an `ETag`; writes invalidate
/// them; a matching `If-None-Match` gets 304.
@Suite("Cache")
struct CacheTests {
    @Test func itemReadsComeFromTheCacheUntilAWriteInvalidatesThem() async throws {
        try await TestApp.run { app, client in
            let auth = try await app.loginSuperuser(client)
            let created = try await client.send(.post, "/api/v1/items/", headers: auth, json: #"{"title": "original"}"#)
            let id = try #require(try created.json["id"]?.stringValue)
            let first = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
            #expect(try first.json["title"] == "original")

            // Changed behind the app's back: the cache still answers, which proves the hit.
            _ = try await app.dependencies.pool.query("UPDATE item SET title = 'changed in SQL' WHERE id = \(UUID(uuidString: id)!)")
            let cached = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
            #expect(try cached.json["title"] == "original")
            #expect(cached.headers[.eTag] == first.headers[.eTag])

            // A write through the API invalidates: the next read sees the database.
            let update = try await client.send(.put, "/api/v1/items/\(id)", headers: auth, json: #"{"description": "new"}"#)
            #expect(update.status == .ok)
            let fresh = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
            #expect(try fresh.json["title"] == "changed in SQL")
            #expect(try fresh.json["description"] == "new")
            #expect(fresh.headers[.eTag] != first.headers[.eTag])

            // Deleted: gone from the cache too.
            #expect(try await client.send(.delete, "/api/v1/items/\(id)", headers: auth).status == .ok)
            #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: auth).status == .notFound)
        }
    }

    @Test func matchingIfNoneMatchGets304() async throws {
        try await TestApp.run { app, client in
            let auth = try await app.loginSuperuser(client)
            let created = try await client.send(.post, "/api/v1/items/", headers: auth, json: #"{"title": "tagged"}"#)
            let id = try #require(try created.json["id"]?.stringValue)
            let first = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
            let tag = try #require(first.headers[.eTag])
            #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""))

            for header in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                var headers = auth
                headers[.ifNoneMatch] = header
                let conditional = try await client.send(.get, "/api/v1/items/\(id)", headers: headers)
                #expect(conditional.status == .notModified, "If-None-Match: \(header)")
                #expect(conditional.body.readableBytes == 0)
                #expect(conditional.headers[.eTag] == tag)
            }
            var stale = auth
            stale[.ifNoneMatch] = "\"stale\""
            #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: stale).status == .ok)

            // After a change the old tag no longer matches.
            _ = try await client.send(.put, "/api/v1/items/\(id)", headers: auth, json: #"{"title": "retagged"}"#)
            var old = auth
            old[.ifNoneMatch] = tag
            let changed = try await client.send(.get, "/api/v1/items/\(id)", headers: old)
            #expect(changed.status == .ok)
            #expect(try changed.json["title"] == "retagged")
        }
    }

    @Test func theCurrentUserIsCachedAndInvalidatedOnEveryChange() async throws {
        try await TestApp.run { app, client in
            let (user, auth) = try await app.userWithToken(client, email: "cached@example.com")
            let first = try await client.send(.get, "/api/v1/users/me", headers: auth)
            let tag = try #require(first.headers[.eTag])
            var conditional = auth
            conditional[.ifNoneMatch] = tag
            #expect(try await client.send(.get, "/api/v1/users/me", headers: conditional).status == .notModified)

            _ = try await client.send(.patch, "/api/v1/users/me", headers: auth, json: #"{"full_name": "Renamed"}"#)
            let renamed = try await client.send(.get, "/api/v1/users/me", headers: conditional)
            #expect(renamed.status == .ok)
            #expect(try renamed.json["full_name"] == "Renamed")

            // A superuser deactivates the user: the cached copy must not keep them active.
            let admin = try await app.loginSuperuser(client)
            _ = try await client.send(.patch, "/api/v1/users/\(user.id.uuidString)", headers: admin, json: #"{"is_active": false}"#)
            let inactive = try await client.send(.get, "/api/v1/users/me", headers: auth)
            #expect(inactive.status == .badRequest)
            #expect(inactive.detail == "Inactive user")

            // Deleted: their token stops working at once, though the user was cached.
            _ = try await client.send(.delete, "/api/v1/users/\(user.id.uuidString)", headers: admin)
            #expect(try await client.send(.get, "/api/v1/users/me", headers: auth).status == .unauthorized)
        }
    }

    @Test func aDeletedUsersItemsLeaveTheCache() async throws {
        try await TestApp.run { app, client in
            let (user, auth) = try await app.userWithToken(client, email: "owner@example.com")
            let created = try await client.send(.post, "/api/v1/items/", headers: auth, json: #"{"title": "mine"}"#)
            let id = try #require(try created.json["id"]?.stringValue)
            let admin = try await app.loginSuperuser(client)
            #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: admin).status == .ok)
            _ = try await client.send(.delete, "/api/v1/users/\(user.id.uuidString)", headers: admin)
            #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: admin).status == .notFound)
        }
    }

    /// The spec declares this 422 since a fuzz finding (schemathesis ST103): the header's
    /// `maxLength` was checked, but readUserMe documented no 422.
    @Test func anOverlongIfNoneMatchIs422() async throws {
        try await TestApp.run { app, client in
            var headers = try await app.loginSuperuser(client)
            headers[.ifNoneMatch] = String(repeating: "x", count: 1025)
            let response = try await client.send(.get, "/api/v1/users/me", headers: headers)
            #expect(response.status == .unprocessableContent)
            #expect(response.locations == [[.key("header"), .key("If-None-Match")]])
        }
    }
}
