import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServerRuntime
import TestProcesses

/// A `server serve` process of the package's own build, for tests that need several real
/// instances.
final class ServerProcess: Sendable {
    let port: Int
    let process: ChildProcess

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SERVER_BINARY"], !path.isEmpty { return path }
        return TestDatabase.repository.appendingPathComponent(".build/debug/server").path
    }

    init(port: Int, environment: [String: String], logLevel: String = "warning") throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw TestFailure(
                "no server binary at \(Self.binary): run `swift build --product server` (make test does) or set SERVER_BINARY")
        }
        self.port = port
        self.process = try ChildProcess(
            Self.binary, ["serve", "--host", "127.0.0.1", "--port", String(port), "--no-docs", "--log-level", logLevel],
            environment: environment)
    }

    var output: String { process.output }

    /// Waits until `/health/ready` answers 200, or fails with the server's output.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let response = try? await request(.get, "/health/ready"), response.status == .ok { return }
            if process.hasExited { throw TestFailure("server on port \(port) exited:\n\(output)") }
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

    func stop() async { await process.stop() }
}

extension TestClient.Response {
    var json: JSONValue {
        get throws { try JSONParser.parse(Array((self.body ?? ByteBuffer()).readableBytesView)) }
    }
    var text: String { String(buffer: self.body ?? ByteBuffer()) }
}
