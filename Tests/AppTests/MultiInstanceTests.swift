import App
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Postgres
import ServerRuntime
import Testing

/// Three `server` processes on different ports sharing one PostgreSQL database and one Redis:
/// what one instance does, the others see.
@Suite("Several instances", .serialized)
struct MultiInstanceTests {
    static let password = "instance-password"

    /// Starts three servers on a database of their own and a Redis prefix of their own.
    func withInstances(_ body: ([ServerProcess]) async throws -> Void) async throws {
        let base = try await TestDatabase.configuration()
        let admin = try await PostgresConnection.connect(base)
        let database = "multi_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await admin.execute("CREATE DATABASE \(identifier: String(database))")
        let url = "postgresql://\(base.user):\(base.password ?? "")@\(base.host):\(base.port)/\(database)"
        let environment = [
            "ENVIRONMENT": "local", "SECRET_KEY": "multi-instance-secret-key",
            "DATABASE_URL": url, "REDIS_URL": try await TestDatabase.redisURL() + "?command_timeout=60",
            "REDIS_KEY_PREFIX": "multi:\(database):",
            "FIRST_SUPERUSER": TestApp.superuserEmail, "FIRST_SUPERUSER_PASSWORD": Self.password,
            "RATE_LIMIT_LOGIN": "5", "RATE_LIMIT_WINDOW_SECONDS": "600", "RATE_LIMIT_REQUESTS": "100000",
        ]
        var servers: [ServerProcess] = []
        func cleanUp() async {
            for server in servers { await server.stop() }
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: String(database)) WITH (FORCE)")
            await admin.close()
        }
        do {
            let first = Int.random(in: 57_000..<58_000)
            // Started together: they also race to migrate, which the advisory lock settles.
            for port in [first, first + 1, first + 2] {
                servers.append(try ServerProcess(port: port, environment: environment))
            }
            for server in servers { try await server.waitUntilReady() }
            try await body(servers)
            await cleanUp()
        } catch {
            let logs = servers.map { "--- port \($0.port):\n\($0.output)" }.joined(separator: "\n")
            await cleanUp()
            throw TestFailure("\(error)\n\(logs)")
        }
    }

    @Test func instancesShareRevocationsRateLimitsAndNotifications() async throws {
        try await withInstances { servers in
            let (a, b, c) = (servers[0], servers[1], servers[2])

            // A token revoked through one instance is refused by the others.
            let login = try await a.login(TestApp.superuserEmail, Self.password)
            #expect(login.status == .ok, "\(login.text)")
            let token = try #require(try login.json["access_token"]?.stringValue)
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            for server in servers {
                #expect(try await server.request(.get, "/api/v1/users/me", headers: auth).status == .ok)
            }
            #expect(try await b.request(.post, "/api/v1/logout", headers: auth).status == .ok)
            for server in servers {
                #expect(try await server.request(.get, "/api/v1/users/me", headers: auth).status == .unauthorized, "port \(server.port)")
            }

            // A change made on one instance reaches a WebSocket held on another.
            let fresh = try await a.login(TestApp.superuserEmail, Self.password)
            let freshToken = try #require(try fresh.json["access_token"]?.stringValue)
            let freshAuth: HTTPFields = [.authorization: "Bearer \(freshToken)", .contentType: "application/json"]
            let received = MessageBox()
            let socket = Task {
                var configuration = WebSocketClientConfiguration()
                configuration.additionalHeaders = [.authorization: "Bearer \(freshToken)"]
                try await WebSocketClient.connect(
                    url: "ws://127.0.0.1:\(c.port)/api/v1/ws/notifications", configuration: configuration,
                    logger: Logger(label: "ws-test")
                ) { inbound, _, _ in
                    await received.connected()
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { await received.append(text) }
                    }
                }
            }
            defer { socket.cancel() }
            try await received.waitUntilConnected()

            let created = try await a.request(.post, "/api/v1/items/", headers: freshAuth, body: #"{"title": "made on A"}"#)
            #expect(created.status == .ok)
            let id = try #require(try created.json["id"]?.stringValue)
            _ = try await b.request(.put, "/api/v1/items/\(id)", headers: freshAuth, body: #"{"title": "changed on B"}"#)
            _ = try await a.request(.delete, "/api/v1/items/\(id)", headers: freshAuth)

            let messages = try await received.wait(for: 3)
            let events = try messages.map { try JSONParser.parse(Array($0.utf8)) }
            #expect(events.map { $0["event"]?.stringValue } == ["created", "updated", "deleted"])
            #expect(events.allSatisfy { $0["item_id"]?.stringValue == id })
            #expect(events[1]["item"]?["title"]?.stringValue == "changed on B")

            // The login limit (5 per address in a long window) counts across all three: the two
            // logins above and three failures, one per instance, use it up; the next is 429
            // whichever instance gets it.
            for server in [a, b, c] {
                #expect(try await server.login("target@example.com", "wrong-password").status == .badRequest)
            }
            let limited = try await a.login("target@example.com", "wrong-password")
            #expect(limited.status == .tooManyRequests, "\(limited.text)")
            #expect(try await b.login(TestApp.superuserEmail, Self.password).status == .tooManyRequests)
        }
    }
}

/// What a WebSocket received, awaited with a deadline rather than a fixed sleep.
actor MessageBox {
    private var messages: [String] = []
    private var isConnected = false

    func connected() { isConnected = true }
    func append(_ message: String) { messages.append(message) }

    func waitUntilConnected(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !isConnected {
            guard ContinuousClock.now < deadline else { throw TestFailure("the WebSocket did not connect") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func wait(for count: Int, timeout: Duration = .seconds(20)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while messages.count < count {
            guard ContinuousClock.now < deadline else { throw TestFailure("got \(messages.count) of \(count) messages: \(messages)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return messages
    }
}
