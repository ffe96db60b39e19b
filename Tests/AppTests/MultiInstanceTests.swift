import App
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Postgres
import ServerRuntime
import Synchronization
import TestProcesses
import Testing

/// Three `server` processes on different ports sharing one PostgreSQL database and one Redis:
/// what one instance does, the others see.
@Suite("Several instances", .serialized)
struct MultiInstanceTests {
    static let password = "instance-password"

    /// Starts `count` servers (three by default) on a database of their own and a Redis prefix
    /// of their own, with `extra` environment.
    func withInstances(
        count: Int = 3, extra: [String: String] = [:], logLevel: String = "warning", _ body: ([ServerProcess]) async throws -> Void
    ) async throws {
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
        ].merging(extra) { $1 }
        var servers: [ServerProcess] = []
        func cleanUp() async {
            for server in servers { await server.stop() }
            _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: String(database)) WITH (FORCE)")
            await admin.close()
        }
        do {
            let first = try TestPorts.free(count: count)
            // Started together: they also race to migrate, which the advisory lock settles.
            for port in first..<first + count {
                servers.append(try ServerProcess(port: port, environment: environment, logLevel: logLevel))
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
            // At once on the instance that revoked; on the others when Redis delivers the
            // message (`RevocationList`).
            #expect(try await b.request(.get, "/api/v1/users/me", headers: auth).status == .unauthorized)
            for server in servers {
                #expect(
                    try await eventually { try await server.request(.get, "/api/v1/users/me", headers: auth).status == .unauthorized },
                    "port \(server.port)")
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

    /// Logout, logout-all, deactivation and deletion made through one instance close the
    /// sockets they cover on every instance within a second, with a close code the client can
    /// act on; sockets they do not cover stay open.
    @Test func revocationsCloseSocketsOnEveryInstance() async throws {
        try await withInstances { servers in
            let (a, b, c) = (servers[0], servers[1], servers[2])
            func token(_ server: ServerProcess, _ email: String, _ password: String) async throws -> String {
                let login = try await server.login(email, password)
                return try #require(try login.json["access_token"]?.stringValue, "\(login.text)")
            }
            let admin = try await token(a, TestApp.superuserEmail, Self.password)
            let adminAuth: HTTPFields = [.authorization: "Bearer \(admin)", .contentType: "application/json"]
            var userIDs: [String] = []
            for email in ["sock-a@example.com", "sock-b@example.com"] {
                let created = try await a.request(
                    .post, "/api/v1/users/", headers: adminAuth, body: #"{"email": "\#(email)", "password": "user-password"}"#)
                userIDs.append(try #require(try created.json["id"]?.stringValue, "\(created.text)"))
            }

            // Two sessions of the superuser, one socket each on different instances.
            let session1 = try await token(b, TestApp.superuserEmail, Self.password)
            let session2 = try await token(c, TestApp.superuserEmail, Self.password)
            let s1 = try await SocketProbe.open(port: c.port, token: session1)
            let s2 = try await SocketProbe.open(port: a.port, token: session2)
            // A user with sockets on two instances, another with one.
            let userA = try await token(b, "sock-a@example.com", "user-password")
            let ua1 = try await SocketProbe.open(port: a.port, token: userA)
            let ua2 = try await SocketProbe.open(port: c.port, token: userA)
            let userB = try await token(c, "sock-b@example.com", "user-password")
            let ub = try await SocketProbe.open(port: b.port, token: userB)
            let all = [s1, s2, ua1, ua2, ub]
            defer { for probe in all { probe.cancel() } }

            // Logout of session 1 through B closes its socket on C, not session 2's.
            let logout = try await b.request(.post, "/api/v1/logout", headers: [.authorization: "Bearer \(session1)"])
            #expect(logout.status == .ok)
            try await s1.expectClosed(code: 4401, reason: "Logged out")
            #expect(await s2.isOpen)

            // Deactivation through A closes user A's sockets on A and C.
            let deactivate = try await a.request(
                .patch, "/api/v1/users/\(userIDs[0])", headers: adminAuth, body: #"{"is_active": false}"#)
            #expect(deactivate.status == .ok, "\(deactivate.text)")
            try await ua1.expectClosed(code: 4403, reason: "Inactive user")
            try await ua2.expectClosed(code: 4403, reason: "Inactive user")
            #expect(await ub.isOpen)

            // Deletion through C closes user B's socket on B.
            #expect(try await c.request(.delete, "/api/v1/users/\(userIDs[1])", headers: adminAuth).status == .ok)
            try await ub.expectClosed(code: 4403, reason: "User deleted")

            // Logout-all through B, with the admin token of a third session, closes session 2's socket on A.
            #expect(await s2.isOpen)
            #expect(try await b.request(.post, "/api/v1/logout/all", headers: [.authorization: "Bearer \(admin)"]).status == .ok)
            try await s2.expectClosed(code: 4401, reason: "Logged out everywhere")
        }
    }

    /// The server binary with LOG_FORMAT=json and METRICS_ENABLED: every line it writes is one
    /// JSON object, a request's lines carry its id and the trace of its `traceparent`, and
    /// `/metrics` labels requests with the operation ids of `Generated/openapi.json`.
    @Test func jsonLogsAndMetricsOfTheServerBinary() async throws {
        try await withInstances(count: 1, extra: ["LOG_FORMAT": "json", "METRICS_ENABLED": "true"], logLevel: "debug") { servers in
            let server = servers[0]
            let invalid = try await server.request(
                .post, "/api/v1/login/access-token",
                headers: [
                    .contentType: "application/x-www-form-urlencoded", RequestIdentifier.headerName: "binary-req-1",
                    TraceParent.headerName: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                ], body: "username=a")
            #expect(invalid.status == .unprocessableContent)
            let scrape = try await server.request(.get, "/metrics")
            #expect(scrape.status == .ok)
            #expect(scrape.text.contains(#"http_requests_total{operation="loginAccessToken"} 1"#), "\(scrape.text)")
            #expect(scrape.text.contains(#"http_requests_total{operation="healthReady"}"#))
            #expect(scrape.text.contains("pool_connections{"))

            let lines = server.output.split(separator: "\n").filter { !$0.isEmpty }
            #expect(!lines.isEmpty)
            var traced: [JSONValue] = []
            for line in lines {
                let object = try JSONParser.parse(Array(line.utf8))
                #expect(object.objectValue != nil && object["level"] != nil && object["message"] != nil, "\(line)")
                if object["request_id"]?.stringValue == "binary-req-1" { traced.append(object) }
            }
            #expect(!traced.isEmpty, "no line of the request in:\n\(server.output)")
            for object in traced {
                #expect(object["trace_id"]?.stringValue == "0af7651916cd43dd8448eb211c80319c")
            }
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

/// One WebSocket to `/api/v1/ws/notifications`, and how it ended.
final class SocketProbe: Sendable {
    actor State {
        var connected = false
        var closeFrame: WebSocketCloseFrame?
        var ended = false
        var endedAt: ContinuousClock.Instant?

        func connect() { connected = true }
        func end(_ frame: WebSocketCloseFrame?) {
            closeFrame = frame
            ended = true
            endedAt = .now
        }
    }

    let state = State()
    let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Connects, and returns once the server has accepted the socket.
    static func open(port: Int, token: String) async throws -> SocketProbe {
        let probe = SocketProbe()
        let state = probe.state
        let task = Task {
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders = [.authorization: "Bearer \(token)"]
            let frame = try? await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/api/v1/ws/notifications", configuration: configuration, logger: Logger(label: "ws-probe")
            ) { inbound, _, _ in
                await state.connect()
                for try await _ in inbound.messages(maxSize: 1 << 16) {}
            }
            await state.end(frame)
        }
        probe.task.withLock { $0 = task }
        let deadline = ContinuousClock.now + .seconds(20)
        while await !state.connected {
            if await state.ended { throw TestFailure("the WebSocket on port \(port) was refused") }
            guard ContinuousClock.now < deadline else { throw TestFailure("the WebSocket on port \(port) did not connect") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return probe
    }

    var isOpen: Bool {
        get async { await !state.ended }
    }

    /// Waits (a second at most) for the server to close the socket with `code` and `reason`.
    /// `limit` only tells a pushed close from none: nothing closes these sockets on a timer
    /// (tokens outlive the test), and three servers and Redis share two busy cores here, so a
    /// tight bound would measure the machine, not the push.
    func expectClosed(code: Int, reason: String, within limit: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let start = ContinuousClock.now
        while await !state.ended, ContinuousClock.now - start < limit + .seconds(20) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let endedAt = await state.endedAt
        let frame = await state.closeFrame
        #expect(endedAt != nil, "the socket is still open", sourceLocation: sourceLocation)
        if let endedAt { #expect(endedAt - start < limit, "closed after \(endedAt - start)", sourceLocation: sourceLocation) }
        // Application close codes (4000-4999) arrive as `.unknown`.
        var received: UInt16?
        if case .unknown(let value)? = frame?.closeCode { received = value }
        #expect(received == UInt16(code), "\(String(describing: frame))", sourceLocation: sourceLocation)
        #expect(frame?.reason == reason, sourceLocation: sourceLocation)
    }

    func cancel() { task.withLock { $0?.cancel() } }
}
