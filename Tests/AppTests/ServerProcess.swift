import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServerRuntime

/// A `server serve` process of the package's own build, for tests that need several real
/// instances. Output goes to a log file that a failure message quotes.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let pid: pid_t
    let log: URL

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SERVER_BINARY"], !path.isEmpty { return path }
        return TestDatabase.repository.appendingPathComponent(".build/debug/server").path
    }

    init(port: Int, environment: [String: String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw TestFailure(
                "no server binary at \(Self.binary): run `swift build --product server` (make test does) or set SERVER_BINARY")
        }
        self.port = port
        self.log = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(port)-\(UUID().uuidString.prefix(8)).log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // A thread of Swift's pool may block signals; the child must not inherit that, or it
        // would ignore the SIGTERM that stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let arguments = [Self.binary, "serve", "--host", "127.0.0.1", "--port", String(port), "--no-docs", "--log-level", "warning"]
        let argv = arguments.map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, Self.binary, &actions, &attributes, argv, envp)
        guard result == 0 else { throw TestFailure("cannot start \(Self.binary) (errno \(result))") }
        self.pid = pid
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits until `/health/ready` answers 200, or fails with the server's output.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let response = try? await request(.get, "/health/ready"), response.status == .ok { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { throw TestFailure("server on port \(port) exited:\n\(output)") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("server on port \(port) not ready within \(timeout):\n\(output)")
    }

    func request(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil) async throws
        -> TestClient.Response
    {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(
                TestClient.Request(uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
        }
    }

    func login(_ email: String, _ password: String) async throws -> TestClient.Response {
        try await request(
            .post, "/api/v1/login/access-token", headers: [.contentType: "application/x-www-form-urlencoded"],
            body: "username=\(formEncode(email))&password=\(formEncode(password))")
    }

    /// SIGTERM, then SIGKILL if it has not exited after a few seconds. Polls with `Task.sleep`,
    /// not a blocking wait, so other tests keep the cooperative threads.
    func stop() async {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, WNOHANG) != pid { try? await Task.sleep(for: .milliseconds(50)) }
    }
}

extension TestClient.Response {
    var json: JSONValue {
        get throws { try JSONParser.parse(Array((self.body ?? ByteBuffer()).readableBytesView)) }
    }
    var text: String { String(buffer: self.body ?? ByteBuffer()) }
}
