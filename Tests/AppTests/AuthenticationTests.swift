import API
import App
import Database
import Foundation
import HummingbirdTesting
import Security
import ServerRuntime
import Testing

@Suite("Authentication")
struct AuthenticationTests {
    /// Every operation with `security: OAuth2PasswordBearer` in the spec.
    static let protectedRoutes: [(HTTPRequest.Method, String)] = [
        (.post, "/api/v1/login/test-token"),
        (.post, "/api/v1/password-recovery-html-content/admin@example.com"),
        (.get, "/api/v1/users/"),
        (.post, "/api/v1/users/"),
        (.get, "/api/v1/users/me"),
        (.delete, "/api/v1/users/me"),
        (.patch, "/api/v1/users/me"),
        (.patch, "/api/v1/users/me/password"),
        (.get, "/api/v1/users/1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        (.patch, "/api/v1/users/1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        (.delete, "/api/v1/users/1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        (.post, "/api/v1/utils/test-email/?email_to=a@example.com"),
        (.get, "/api/v1/items/"),
        (.post, "/api/v1/items/"),
        (.get, "/api/v1/items/1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        (.put, "/api/v1/items/1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        (.delete, "/api/v1/items/1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
    ]

    @Test func everyProtectedRouteRefusesMissingAndBadTokens() async throws {
        try await TestApp.run { app, client in
            let subject = app.superuser.id.uuidString.lowercased()
            let valid = try TokenCodec(secret: TestApp.secret)
            let otherSecret = try TokenCodec(secret: "another-secret-entirely")
            let lastWeek = try TokenCodec(secret: TestApp.secret, clock: { Date().addingTimeInterval(-7 * 86400) })
            let badTokens: [(String, String)] = [
                ("bad signature", try otherSecret.issue(subject: subject, type: .access, lifetime: .seconds(3600))),
                ("expired", try lastWeek.issue(subject: subject, type: .access, lifetime: .seconds(3600))),
                ("wrong type", try valid.issue(subject: subject, type: .passwordReset, lifetime: .seconds(3600))),
                ("unknown user", try valid.issue(subject: UUID().uuidString.lowercased(), type: .access, lifetime: .seconds(3600))),
                ("not a user id", try valid.issue(subject: "admin@example.com", type: .access, lifetime: .seconds(3600))),
                ("garbage", "not.a.jwt"),
            ]
            let good = try await app.loginSuperuser(client)
            for (method, path) in Self.protectedRoutes {
                let body = method == .get || method == .delete ? nil : "{}"
                let none = try await client.send(method, path, json: body)
                #expect(none.status == .unauthorized, "\(method) \(path) without a token")
                #expect(none.headers[.wwwAuthenticate] == "Bearer")
                #expect(none.detail == "Not authenticated", "\(method) \(path)")
                for (name, token) in badTokens {
                    let response = try await client.send(method, path, headers: [.authorization: "Bearer \(token)"], json: body)
                    #expect(response.status == .unauthorized, "\(method) \(path) with a token that is \(name)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    #expect(response.detail == "Could not validate credentials", "\(method) \(path), \(name)")
                }
                // The good token passes authentication (whatever the route answers next).
                let authenticated = try await client.send(method, path, headers: good, json: body)
                #expect(authenticated.status != .unauthorized, "\(method) \(path) with a good token: \(authenticated.text)")
            }
        }
    }

    @Test func deactivatedUsersTokenIs400() async throws {
        try await TestApp.run { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "later-inactive@example.com")
            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: false))
            // On every route: GET and HEAD handlers read the user together with their own first
            // statement, and the route still answers the user's check, never the handler's.
            let item = try await app.dependencies.items.insert(.init(title: "mine", ownerId: user.id))
            try await Self.expectEveryRoute(
                client, headers: headers, plus: item.id, answers: .badRequest, detail: "Inactive user")
        }
    }

    /// A user deleted after the token was issued: 401 on every route, including an item read of
    /// an item that does not exist (not 404) and of another user's item (not 403).
    @Test func deletedUsersTokenIs401Everywhere() async throws {
        try await TestApp.run { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "gone-soon@example.com")
            let other = try await app.dependencies.items.insert(.init(title: "not mine", ownerId: app.superuser.id))
            _ = try await app.dependencies.users.delete(id: user.id)
            try await Self.expectEveryRoute(
                client, headers: headers, plus: other.id, answers: .unauthorized, detail: "Could not validate credentials")
        }
    }

    /// Every protected route, and the read of item `item`, answers `status` with `detail`.
    static func expectEveryRoute(
        _ client: some TestClientProtocol, headers: HTTPFields, plus item: UUID, answers status: HTTPResponse.Status, detail: String
    ) async throws {
        for (method, path) in protectedRoutes + [(.get, "/api/v1/items/\(item.uuidString.lowercased())")] {
            let body = method == .get || method == .delete ? nil : "{}"
            let response = try await client.send(method, path, headers: headers, json: body)
            #expect(response.status == status, "\(method) \(path)")
            #expect(response.detail == detail, "\(method) \(path)")
        }
    }

    @Test func deletedUsersTokenIs401() async throws {
        try await TestApp.run { app, client in
            let (_, headers) = try await app.userWithToken(client, email: "leaving@example.com")
            let deleted = try await client.send(.delete, "/api/v1/users/me", headers: headers)
            #expect(deleted.status == .ok)
            #expect(try deleted.json["message"] == "User deleted successfully")
            let after = try await client.send(.get, "/api/v1/users/me", headers: headers)
            #expect(after.status == .unauthorized)
        }
    }
}
