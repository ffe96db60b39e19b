import App
import Foundation
import HummingbirdTesting
import Security
import ServerRuntime
import Testing

/// Refresh tokens, rotation and reuse detection, logout and logout everywhere, against the test
/// Redis and PostgreSQL.
@Suite("Sessions")
struct SessionTests {
    func refresh(_ client: some TestClientProtocol, _ token: String) async throws -> TestResponse {
        try await client.send(.post, "/api/v1/login/refresh", json: #"{"refresh_token": "\#(token)"}"#)
    }

    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func loginGivesARefreshTokenThatRotates() async throws {
        try await TestApp.run { app, client in
            let first = try await app.loginTokens(client)
            let refreshToken = try #require(first.refresh)
            #expect(refreshToken.count >= 43, "256 bits of randomness, base64url")

            let rotated = try await refresh(client, refreshToken)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let access = try #require(try rotated.json["access_token"]?.stringValue)
            let next = try #require(try rotated.json["refresh_token"]?.stringValue)
            #expect(next != refreshToken)
            #expect(try rotated.json["token_type"] == "bearer")
            // The new access token works and belongs to the same session as the login's.
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(access)).status == .ok)
            let codec = try TokenCodec(secret: TestApp.secret)
            let sid = try codec.verify(first.access, as: .access).extra["sid"]
            #expect(sid != nil)
            #expect(try codec.verify(access, as: .access).extra["sid"] == sid)

            // The next token rotates again.
            #expect(try await refresh(client, next).status == .ok)
        }
    }

    @Test func reusingARotatedTokenEndsTheWholeSession() async throws {
        try await TestApp.run { app, client in
            let login = try await app.loginTokens(client)
            let stolen = try #require(login.refresh)
            let rotated = try await refresh(client, stolen)
            let victimAccess = try #require(try rotated.json["access_token"]?.stringValue)
            let victimRefresh = try #require(try rotated.json["refresh_token"]?.stringValue)

            // The thief replays the old token: refused, and the session ends for everyone.
            let replay = try await refresh(client, stolen)
            #expect(replay.status == .unauthorized)
            #expect(replay.detail == "Invalid refresh token")
            #expect(try await refresh(client, victimRefresh).status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(victimAccess)).status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(login.access)).status == .unauthorized)

            // Another session of the same user is untouched.
            let other = try await app.loginTokens(client)
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(other.access)).status == .ok)
        }
    }

    @Test func logoutEndsOnlyThatSession() async throws {
        try await TestApp.run { app, client in
            let phone = try await app.loginTokens(client)
            let laptop = try await app.loginTokens(client)
            let out = try await client.send(.post, "/api/v1/logout", headers: bearer(phone.access))
            #expect(out.status == .ok)
            #expect(try out.json["message"] == "Logged out")

            let refused = try await client.send(.get, "/api/v1/users/me", headers: bearer(phone.access))
            #expect(refused.status == .unauthorized)
            #expect(refused.detail == "Could not validate credentials")
            #expect(try await refresh(client, try #require(phone.refresh)).status == .unauthorized)
            // Logging out twice is a 401: the token is already refused.
            #expect(try await client.send(.post, "/api/v1/logout", headers: bearer(phone.access)).status == .unauthorized)

            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(laptop.access)).status == .ok)
            #expect(try await refresh(client, try #require(laptop.refresh)).status == .ok)
        }
    }

    @Test func logoutEverywhereEndsEverySessionOfTheUserOnly() async throws {
        try await TestApp.run { app, client in
            try await app.createUser(email: "bystander@example.com", password: "user-password")
            let bystander = try await app.loginTokens(client, email: "bystander@example.com", password: "user-password")
            let sessions = [try await app.loginTokens(client), try await app.loginTokens(client), try await app.loginTokens(client)]
            // One of them has rotated already: its newest tokens must end too.
            let rotated = try await refresh(client, try #require(sessions[2].refresh))
            let rotatedAccess = try #require(try rotated.json["access_token"]?.stringValue)
            let rotatedRefresh = try #require(try rotated.json["refresh_token"]?.stringValue)

            let out = try await client.send(.post, "/api/v1/logout/all", headers: bearer(sessions[0].access))
            #expect(out.status == .ok, "\(out.text)")
            for session in sessions.prefix(2) {
                #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(session.access)).status == .unauthorized)
                #expect(try await refresh(client, try #require(session.refresh)).status == .unauthorized)
            }
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(rotatedAccess)).status == .unauthorized)
            #expect(try await refresh(client, rotatedRefresh).status == .unauthorized)

            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(bystander.access)).status == .ok)
            // A new login works again.
            let fresh = try await app.loginTokens(client)
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(fresh.access)).status == .ok)
        }
    }

    @Test func badRefreshRequestsAreRefusedClearly() async throws {
        try await TestApp.run { app, client in
            let unknown = try await refresh(client, "not-a-token-we-issued")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.detail == "Invalid refresh token")
            // An access token is not a refresh token.
            let login = try await app.loginTokens(client)
            #expect(try await refresh(client, login.access).status == .unauthorized)

            let empty = try await refresh(client, "")
            #expect(empty.status == .unprocessableContent)
            #expect(empty.locations == [[.key("body"), .key("refresh_token")]])
            let missing = try await client.send(.post, "/api/v1/login/refresh", json: "{}")
            #expect(missing.status == .unprocessableContent)
            #expect(missing.locations == [[.key("body"), .key("refresh_token")]])
            let long = try await refresh(client, String(repeating: "a", count: 513))
            #expect(long.status == .unprocessableContent)
            let notJSON = try await client.send(.post, "/api/v1/login/refresh", json: "{")
            #expect(notJSON.status == .unprocessableContent)
            // Logout needs a token.
            #expect(try await client.send(.post, "/api/v1/logout").status == .unauthorized)
            #expect(try await client.send(.post, "/api/v1/logout/all").status == .unauthorized)
        }
    }

    @Test func aDeactivatedUserCannotRefresh() async throws {
        try await TestApp.run { app, client in
            let user = try await app.createUser(email: "leaving@example.com", password: "user-password")
            let login = try await app.loginTokens(client, email: "leaving@example.com", password: "user-password")
            let admin = try await app.loginSuperuser(client)
            let patch = try await client.send(.patch, "/api/v1/users/\(user.id.uuidString)", headers: admin, json: #"{"is_active": false}"#)
            #expect(patch.status == .ok)
            #expect(try await refresh(client, try #require(login.refresh)).status == .unauthorized)
        }
    }
}
