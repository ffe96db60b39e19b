import Foundation
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

    private static let usedPorts = Locked<Set<Int>>([])

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

    func configuration() throws -> RedisConfiguration {
        try RedisConfiguration(url: url)
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
        _ = try TestRedis.run("redis-server", arguments)
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
        _ = Self.usedPorts.withLock { $0.remove(port) }
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

    /// A random port in 56000..<57000 that nothing listens on and no other
    /// test of this process took.
    static func freePort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 56_000..<57_000)
            let taken = usedPorts.withLock { ports in
                if ports.contains(port) { return true }
                ports.insert(port)
                return false
            }
            if taken { continue }
            if isListening(port) {
                _ = usedPorts.withLock { $0.remove(port) }
                continue
            }
            return port
        }
        throw TestRedis.Unavailable(description: "no free port in 56000..<57000")
    }

    private static func isListening(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Whether a server answers PING (with the password, when it has one) at `configuration`.
    static func answers(_ configuration: RedisConfiguration?) async -> Bool {
        guard let configuration else { return false }
        let client = RedisClient(configuration: configuration, connections: 1)
        defer { Task { await client.close() } }
        return (try? await client.ping()) != nil
    }
}
