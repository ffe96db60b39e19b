import Foundation
import TestProcesses
import Testing

@testable import Redis

/// A redis-server of a test's own (own folder in /tmp, random port), for
/// what must not disturb the shared server: restarts, a password,
/// `SCRIPT FLUSH`.
final class PrivateRedisServer: Sendable {
    static let installed = ["/usr/bin", "/usr/local/bin", "/usr/sbin"].contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/redis-server")
    }

    let port: Int
    let password: String?
    let folder: URL

    init(password: String? = nil) throws {
        self.password = password
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "redis-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
    }

    var url: String {
        "redis://\(password.map { ":\($0)@" } ?? "")127.0.0.1:\(port)/0"
    }

    /// Generous timeouts: a full run holds replies for seconds at times, and the tests that
    /// time commands out set their own.
    func configuration() throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url)
        configuration.connectTimeout = .seconds(30)
        configuration.commandTimeout = .seconds(60)
        return configuration
    }

    private var pidFile: URL { folder.appendingPathComponent("redis.pid") }

    /// Starts the server and waits until it answers.
    func start() async throws {
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "yes", "--pidfile", pidFile.path, "--dir", folder.path,
            "--logfile", folder.appendingPathComponent("redis.log").path,
        ]
        if let password { arguments += ["--requirepass", password] }
        _ = try await TestRedis.run("redis-server", arguments)
        let answered = await eventually {
            await Self.answers(try? configuration())
        }
        guard answered else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
            throw TestRedis.Unavailable(description: "the private redis-server on port \(port) did not answer:\n\(log)")
        }
    }

    /// Stops the server (SIGTERM) and waits until the process is gone.
    func stop() async throws {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGTERM)
        let stopped = await eventually { !Self.isRunning(pid) }
        guard stopped else { throw TestRedis.Unavailable(description: "redis-server \(pid) did not stop") }
        try? FileManager.default.removeItem(at: pidFile)
    }

    /// Stops the server and removes its folder.
    func remove() async {
        try? await stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Alive and not a zombie: the daemon is not our child, so whoever
    /// adopted it may reap it late.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            return kill(pid, 0) == 0
        }
        guard let end = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    /// A port nothing listens on that no other test of this process took (outside the
    /// kernel's ephemeral range: see `TestPorts`).
    static func freePort() throws -> Int { try TestPorts.free() }

    /// Whether a server answers PING (with the password, when it has one) at `configuration`.
    static func answers(_ configuration: RedisConfiguration?) async -> Bool {
        guard let configuration else { return false }
        let client = RedisClient(configuration: configuration, connections: 1)
        defer { Task { await client.close() } }
        return (try? await client.ping()) != nil
    }
}
