import App
import Foundation
import HummingbirdTesting
import ServerRuntime
import TestProcesses
import Testing

/// Redis stopped under a running app and started again, on a private server (own folder, own
/// port) so other tests keep theirs: reads bypass the cache, sessions answer 503, rate limits
/// follow `RATE_LIMIT_FAIL_OPEN`, nothing else fails, and everything works again afterwards
/// without a restart.
@Suite("Redis outage", .serialized)
struct RedisOutageTests {
    static let serverInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server")

    /// A private Redis for `body`, which gets its URL and a way to run `services.sh` on it.
    func withPrivateRedis(_ body: (String, @escaping @Sendable (String) async throws -> Void) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redis-outage-\(UUID().uuidString.prefix(8))")
        // A port found free can still be taken before Redis binds it: another one is tried.
        var port = 0
        var environment: [String: String] = [:]
        for attempt in 1...3 {
            port = try TestPorts.free()
            environment = ["SERVICES_DATA_DIR": folder.path, "REDIS_PORT_TEST": String(port)]
            do {
                _ = try await TestDatabase.run(TestDatabase.script, ["start", "redis"], environment: environment)
                break
            } catch  where attempt < 3 {
                continue
            }
        }
        let started = environment
        @Sendable func services(_ command: String) async throws {
            _ = try await TestDatabase.run(TestDatabase.script, [command, "redis"], environment: started)
        }
        // The private Redis is stopped whatever happens; a defer cannot wait for it.
        do {
            try await body("redis://127.0.0.1:\(port)/0", services)
        } catch {
            try? await services("stop")
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        try? await services("stop")
        try? FileManager.default.removeItem(at: folder)
    }

    func refresh(_ client: some TestClientProtocol, _ token: String) async throws -> TestResponse {
        try await client.send(.post, "/api/v1/login/refresh", json: #"{"refresh_token": "\#(token)"}"#)
    }

    @Test(.enabled(if: serverInstalled, "needs redis-server to run a private Redis"))
    func theAppDegradesWhileRedisIsDownAndRecoversAfter() async throws {
        try await withPrivateRedis { url, services in
            try await TestApp.run(settings: ["REDIS_URL": url]) { app, client in
                let login = try await app.loginTokens(client)
                let auth: HTTPFields = [.authorization: "Bearer \(login.access)"]
                let created = try await client.send(.post, "/api/v1/items/", headers: auth, json: #"{"title": "before"}"#)
                let id = try #require(try created.json["id"]?.stringValue)
                #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: auth).status == .ok)

                try await services("stop")

                // Reads go to PostgreSQL; the token is still accepted.
                let item = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
                #expect(item.status == .ok)
                #expect(try item.json["title"] == "before")
                #expect(try await client.send(.get, "/api/v1/users/me", headers: auth).status == .ok)
                #expect(try await client.send(.get, "/api/v1/items/", headers: auth).status == .ok)
                // Writes succeed; only the cache invalidation and the notification are skipped.
                #expect(try await client.send(.put, "/api/v1/items/\(id)", headers: auth, json: #"{"title": "during"}"#).status == .ok)
                // The create's guarded insert needs no cache: written, with the user read beside it.
                let createdDuring = try await client.send(.post, "/api/v1/items/", headers: auth, json: #"{"title": "made during"}"#)
                #expect(createdDuring.status == .ok, "\(createdDuring.text)")
                #expect(try createdDuring.json["title"] == "made during")

                // What cannot work without Redis says so.
                for response in [
                    try await refresh(client, try #require(login.refresh)),
                    try await client.send(.post, "/api/v1/logout", headers: auth),
                ] {
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.detail == "The session store is unavailable, try again shortly")
                    #expect(response.headers[.retryAfter] == "1")
                }
                // Login works, without a refresh token (and the rate limit fails open).
                let degraded = try await app.loginTokens(client)
                #expect(degraded.refresh == nil)
                let ready = try await client.send(.get, "/health/ready")
                #expect(ready.status == .serviceUnavailable)
                #expect(try ready.json["status"] == "unavailable")
                #expect(try ready.json["checks"]?["redis"] == "failed")
                #expect(try ready.json["checks"]?["postgres"] == "ok")
                #expect(try await client.send(.get, "/health/live").status == .ok)

                try await services("start")

                // The same app, not restarted: sessions, logout, readiness and fresh reads.
                let again = try await app.loginTokens(client)
                let rotated = try await refresh(client, try #require(again.refresh))
                #expect(rotated.status == .ok, "\(rotated.text)")
                #expect(try await client.send(.get, "/health/ready").status == .ok)
                let after = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
                #expect(try after.json["title"] == "during")
                #expect(try await client.send(.post, "/api/v1/logout", headers: [.authorization: "Bearer \(again.access)"]).status == .ok)
                #expect(
                    try await client.send(.get, "/api/v1/users/me", headers: [.authorization: "Bearer \(again.access)"]).status
                        == .unauthorized)
            }
        }
    }

    @Test(.enabled(if: serverInstalled, "needs redis-server to run a private Redis"))
    func failClosedRateLimitsRefuseWhileRedisIsDown() async throws {
        try await withPrivateRedis { url, services in
            try await TestApp.run(settings: ["REDIS_URL": url, "RATE_LIMIT_FAIL_OPEN": "false"]) { app, client in
                let auth = try await app.loginSuperuser(client)
                try await services("stop")
                let limited = try await client.send(.get, "/api/v1/items/", headers: auth)
                #expect(limited.status == .serviceUnavailable)
                #expect(limited.headers[.contentType] == "application/json")
                let login = try await client.execute(
                    uri: "/api/v1/login/access-token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "username=admin%40example.com&password=superuser-password"))
                #expect(login.status == .serviceUnavailable)
                // Probes are never limited, so they still answer.
                #expect(try await client.send(.get, "/health/live").status == .ok)
                try await services("start")
                #expect(try await client.send(.get, "/api/v1/items/", headers: auth).status == .ok)
            }
        }
    }
}
