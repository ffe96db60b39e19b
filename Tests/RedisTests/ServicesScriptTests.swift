import Foundation
import TestProcesses
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `scripts/services.sh` stops only what it started, by its own pid file: two checkouts (two
/// data folders, two ports) never stop each other's Redis, whatever port the stopping one is
/// given, and a taken port is reported before a long build.
@Suite(.serialized) struct ServicesScriptTests {
    static let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/services.sh").path

    /// Runs the script with `command` for a checkout whose state is in `folder`. `ToolRun` gives
    /// the child an empty signal mask and default handlers: the test runner blocks most signals,
    /// and a Redis started with that mask would outlive every SIGTERM.
    @discardableResult
    static func run(_ command: [String], folder: URL, redisPort: Int, pgPort: Int = 1) async throws -> (status: Int32, output: String) {
        let result = try await ToolRun.run(
            "/bin/bash", [script] + command,
            environment: [
                "SERVICES_DATA_DIR": folder.path, "REDIS_PORT_TEST": String(redisPort), "PGPORT_TEST": String(pgPort),
                "SERVICES_TIMEOUT": "10",
            ],
            timeout: .seconds(60))
        return (result.status, result.output)
    }

    static func answers(_ port: Int) async -> Bool {
        // redis-cli exits 0 when the server answered, 1 when nothing listens.
        let result = try? await ToolRun.run("/usr/bin/redis-cli", ["-h", "127.0.0.1", "-p", String(port), "ping"], timeout: .seconds(20))
        return result?.succeeded ?? false
    }

    @Test(.enabled(if: PrivateRedisServer.installed))
    func stoppingOneCheckoutNeverStopsAnothersRedis() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString.prefix(8))")
        let first = root.appendingPathComponent("first")
        let second = root.appendingPathComponent("second")
        defer { try? FileManager.default.removeItem(at: root) }
        let firstPort = try PrivateRedisServer.freePort()
        let secondPort = try PrivateRedisServer.freePort()
        let firstStart = try await Self.run(["start", "redis"], folder: first, redisPort: firstPort)
        try #require(firstStart.status == 0, "\(firstStart.output)")
        // The first checkout's Redis is stopped whatever happens; a defer cannot wait for it.
        do {
            try await checkBothCheckouts(first: first, firstPort: firstPort, second: second, secondPort: secondPort)
        } catch {
            _ = try? await Self.run(["stop", "redis"], folder: first, redisPort: firstPort)
            throw error
        }
        _ = try? await Self.run(["stop", "redis"], folder: first, redisPort: firstPort)
    }

    private func checkBothCheckouts(first: URL, firstPort: Int, second: URL, secondPort: Int) async throws {
        let secondStart = try await Self.run(["start", "redis"], folder: second, redisPort: secondPort)
        try #require(secondStart.status == 0, "\(secondStart.output)")

        // The second checkout stops with the first one's port in its environment.
        let stop = try await Self.run(["stop", "redis"], folder: second, redisPort: firstPort)
        #expect(stop.status == 0, "\(stop.output)")
        #expect(await Self.answers(firstPort), "the first checkout's Redis was stopped by the second")
        #expect(await !Self.answers(secondPort), "the second checkout's own Redis is still running")

        // A port held by a server this checkout did not start fails the preflight with a clear message.
        let preflight = try await Self.run(["preflight", "redis"], folder: second, redisPort: firstPort)
        #expect(preflight.status != 0)
        #expect(preflight.output.contains("port \(firstPort) is taken by a server this checkout did not start"))
    }
}
