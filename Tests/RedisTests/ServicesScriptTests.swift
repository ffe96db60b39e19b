import Foundation
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

    /// Runs the script with `command` for a checkout whose state is in `folder`.
    ///
    /// posix_spawn with an empty signal mask and default handlers, not Foundation's `Process`:
    /// the test runner blocks most signals, a child would inherit that mask, and the Redis the
    /// script starts would then outlive every SIGTERM (and `Process` never saw the script end).
    @discardableResult
    static func run(_ command: [String], folder: URL, redisPort: Int, pgPort: Int = 1) throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["SERVICES_DATA_DIR"] = folder.path
        environment["REDIS_PORT_TEST"] = String(redisPort)
        environment["PGPORT_TEST"] = String(pgPort)
        environment["SERVICES_TIMEOUT"] = "10"
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let quoted = (["/bin/bash", script] + command + [log.path]).map {
            "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        let shell = ["/bin/sh", "-c", quoted.dropLast().joined(separator: " ") + " >" + quoted.last! + " 2>&1"]
        let status = try spawnAndWait(shell, environment: environment.map { "\($0.key)=\($0.value)" })
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    private static func spawnAndWait(_ arguments: [String], environment: [String]) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], nil, &attributes, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    static func answers(_ port: Int) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        // redis-cli exits 0 when the server answered, 1 when nothing listens.
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "ping"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: PrivateRedisServer.installed))
    func stoppingOneCheckoutNeverStopsAnothersRedis() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString.prefix(8))")
        let first = root.appendingPathComponent("first")
        let second = root.appendingPathComponent("second")
        defer { try? FileManager.default.removeItem(at: root) }
        let firstPort = try PrivateRedisServer.freePort()
        let secondPort = try PrivateRedisServer.freePort()
        try #require(Self.run(["start", "redis"], folder: first, redisPort: firstPort).status == 0)
        defer { _ = try? Self.run(["stop", "redis"], folder: first, redisPort: firstPort) }
        try #require(Self.run(["start", "redis"], folder: second, redisPort: secondPort).status == 0)

        // The second checkout stops with the first one's port in its environment.
        let stop = try Self.run(["stop", "redis"], folder: second, redisPort: firstPort)
        #expect(stop.status == 0, "\(stop.output)")
        #expect(Self.answers(firstPort), "the first checkout's Redis was stopped by the second")
        #expect(!Self.answers(secondPort), "the second checkout's own Redis is still running")

        // A port held by a server this checkout did not start fails the preflight with a clear message.
        let preflight = try Self.run(["preflight", "redis"], folder: second, redisPort: firstPort)
        #expect(preflight.status != 0)
        #expect(preflight.output.contains("port \(firstPort) is taken by a server this checkout did not start"))
    }
}
