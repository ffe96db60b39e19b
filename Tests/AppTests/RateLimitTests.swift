import App
import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

/// The login limit (per address and per username) and the general per-address limit, counted
/// in the test Redis: reached, answered 429 with `Retry-After`, and reset when the window ends.
@Suite("Rate limits")
struct RateLimitTests {
    func attempt(_ client: some TestClientProtocol, _ username: String, _ password: String = "wrong-password") async throws -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/login/access-token", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "username=\(formEncode(username))&password=\(password)"))
    }

    @Test func loginAttemptsPerUsernameAreLimitedThenReset() async throws {
        // A window long enough that three failed logins fit in it on a loaded two-core machine (a
        // 2 s window, then an 8 s one, ended between the third attempt and the fourth while
        // compilers shared the machine); the test waits out what is left of it, in parallel
        // with the rest of the run.
        try await TestApp.run(settings: ["RATE_LIMIT_LOGIN": "3", "RATE_LIMIT_WINDOW_SECONDS": "30"]) { app, client in
            for _ in 0..<3 {
                #expect(try await attempt(client, TestApp.superuserEmail).status == .badRequest)
            }
            // Over the limit even with the right password: guessing gets no answer.
            let limited = try await attempt(client, TestApp.superuserEmail, TestApp.superuserPassword)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.detail == "Too many login attempts, try again later")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...30).contains(retryAfter))
            #expect(limited.headers[.contentType] == "application/json")

            // The window ends: the right password works again.
            try await Task.sleep(for: .seconds(retryAfter) + .milliseconds(200))
            #expect(try await attempt(client, TestApp.superuserEmail, TestApp.superuserPassword).status == .ok)
        }
    }

    @Test func theUsernameLimitIgnoresCase() async throws {
        try await TestApp.run(settings: ["RATE_LIMIT_LOGIN": "2"]) { app, client in
            let statuses = [
                try await attempt(client, "Someone@Example.com").status, try await attempt(client, "someone@example.com").status,
                try await attempt(client, "SOMEONE@EXAMPLE.COM").status,
            ]
            #expect(statuses == [.badRequest, .badRequest, .tooManyRequests])
        }
    }

    @Test func everyRequestCountsAgainstTheAddressLimitButHealthProbesDoNot() async throws {
        try await TestApp.run(settings: ["RATE_LIMIT_REQUESTS": "4", "RATE_LIMIT_WINDOW_SECONDS": "30"]) { app, client in
            for _ in 0..<4 {
                #expect(try await client.send(.get, "/api/v1/items/").status == .unauthorized)
            }
            let limited = try await client.send(.get, "/api/v1/items/")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.detail == "Too many requests")
            #expect(limited.headers[.retryAfter] != nil)
            // Probes and the template's health check stay reachable for load balancers.
            for path in ["/health/live", "/api/v1/utils/health-check/"] {
                #expect(try await client.send(.get, path).status == .ok, "\(path)")
            }
        }
    }

    @Test func limitsCanBeTurnedOff() async throws {
        try await TestApp.run(settings: ["RATE_LIMIT_ENABLED": "false", "RATE_LIMIT_LOGIN": "1", "RATE_LIMIT_REQUESTS": "1"]) {
            app, client in
            for _ in 0..<3 {
                let response = try await attempt(client, TestApp.superuserEmail)
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func badLimitSettingsAreRefusedByName() throws {
        for (name, value) in [
            ("RATE_LIMIT_LOGIN", "0"), ("RATE_LIMIT_REQUESTS", "many"), ("RATE_LIMIT_WINDOW_SECONDS", "-1"),
            ("RATE_LIMIT_FAIL_OPEN", "perhaps"), ("RATE_LIMIT_ENABLED", "2"), ("REDIS_URL", "http://localhost"),
            ("CACHE_TTL_SECONDS", "-5"), ("REFRESH_TOKEN_EXPIRE_DAYS", "0"),
        ] {
            #expect(throws: SettingsError.self, "\(name)=\(value)") {
                try Settings(variables: TestApp.variables([name: value]))
            }
            do {
                _ = try Settings(variables: TestApp.variables([name: value]))
            } catch let error as SettingsError {
                #expect("\(error)".contains(name), "\(error)")
            }
        }
    }
}
