import App
import BenchSupport
import Foundation
import HummingbirdTesting
import Security
import ServerRuntime
import Testing

/// The fixtures `bench-fixtures` (a separate executable, not the server) mints for the benchmark are what the routes they feed
/// accept: sessions like a login's, reset tokens like a recovery e-mail's, each usable once.
@Suite("Benchmark fixtures")
struct BenchmarkFixturesTests {
    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test func sessionsAreALoginsSessions() async throws {
        try await TestApp.run { app, client in
            let first = try await app.createUser(email: "first@example.com")
            let second = try await app.createUser(email: "second@example.com")
            let sessions = try await BenchmarkFixtures(app.dependencies).sessions(for: [first.id, first.id, second.id], concurrency: 2)
            #expect(sessions.count == 3)
            #expect(Set(sessions.map(\.accessToken)).count == 3)
            #expect(Set(sessions.map(\.refreshToken)).count == 3)

            // In order: each access token is its user's, in a session of its own.
            for (session, user) in zip(sessions, [first, first, second]) {
                let me = try await client.send(.get, "/api/v1/users/me", headers: bearer(session.accessToken))
                #expect(me.status == .ok, "\(me.text)")
                #expect(try me.json["email"]?.stringValue == user.email)
            }
            let codec = try TokenCodec(secret: TestApp.secret)
            let sids = try sessions.map { try codec.verify($0.accessToken, as: .access).extra["sid"] }
            #expect(Set(sids.compactMap { $0 }).count == 3)

            // The refresh token rotates once; logout ends only its own session.
            let refresh = #"{"refresh_token": "\#(sessions[0].refreshToken)"}"#
            let rotated = try await client.send(.post, "/api/v1/login/refresh", json: refresh)
            #expect(rotated.status == .ok, "\(rotated.text)")
            #expect(try await client.send(.post, "/api/v1/login/refresh", json: refresh).status == .unauthorized)
            #expect(try await client.send(.post, "/api/v1/logout", headers: bearer(sessions[1].accessToken)).status == .ok)
            #expect(try await client.send(.post, "/api/v1/logout", headers: bearer(sessions[1].accessToken)).status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/users/me", headers: bearer(sessions[2].accessToken)).status == .ok)
        }
    }

    @Test func resetTokensResetThePasswordOnce() async throws {
        try await TestApp.run { app, client in
            try await app.createUser(email: "forgetful@example.com", password: "old-password")
            let tokens = try await BenchmarkFixtures(app.dependencies).resetTokens(for: ["forgetful@example.com", "forgetful@example.com"])
            #expect(tokens.count == 2)
            #expect(Set(tokens).count == 2)
            for (token, password) in zip(tokens, ["new-password-1", "new-password-2"]) {
                let body = #"{"token": "\#(token)", "new_password": "\#(password)"}"#
                let reset = try await client.send(.post, "/api/v1/reset-password/", json: body)
                #expect(reset.status == .ok, "\(reset.text)")
                #expect(try await client.send(.post, "/api/v1/reset-password/", json: body).status == .badRequest)
            }
            _ = try await app.login(client, email: "forgetful@example.com", password: "new-password-2")
        }
    }

    @Test func usersWhoCannotLogInGetNoFixtures() async throws {
        try await TestApp.run { app, client in
            let fixtures = BenchmarkFixtures(app.dependencies)
            let inactive = try await app.createUser(email: "inactive@example.com", isActive: false)
            await #expect(throws: BenchmarkFixtures.UnknownUser.self) { try await fixtures.sessions(for: [UUID()]) }
            await #expect(throws: BenchmarkFixtures.UnknownUser.self) { try await fixtures.sessions(for: [app.superuser.id, inactive.id]) }
            await #expect(throws: BenchmarkFixtures.UnknownUser.self) { try await fixtures.resetTokens(for: ["nobody@example.com"]) }
            await #expect(throws: BenchmarkFixtures.UnknownUser.self) { try await fixtures.resetTokens(for: [inactive.email]) }
            #expect(try await fixtures.sessions(for: []).isEmpty)
        }
    }
}
