import Foundation
import TestProcesses
import Testing

@testable import Redis

/// The Redis the tests run against: `REDIS_URL` when set, otherwise the one
/// `scripts/services.sh start redis` provides (started on first use), so a
/// bare `swift test` works. Never skips: no server is a failure with
/// instructions.
enum TestRedis {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static func url() async throws -> String {
        try await resolved.value
    }

    /// The shared server's configuration; `clientName` tags the connections
    /// so a test can count its own in `CLIENT LIST`.
    static func configuration(clientName: String? = nil) async throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: try await url())
        configuration.clientName = clientName
        // Generous: a full parallel test run on 2 cores (compilers included) can hold a reply or
        // a free connection for seconds. Tests of the timeouts set their own.
        configuration.commandTimeout = .seconds(60)
        // Likewise the connect: the 2 s default expired for the shared server on loopback while
        // two compilers and the rest of the run shared the machine's two cores.
        configuration.connectTimeout = .seconds(30)
        return configuration
    }

    private static let resolved = Task<String, any Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["REDIS_URL"], !url.isEmpty { return url }
        _ = try await run("/bin/bash", [script, "start", "redis"])
        let output = try await run("/bin/bash", [script, "env"])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("REDIS_URL=") }) else {
            throw Unavailable(description: "scripts/services.sh env printed no REDIS_URL:\n\(output)")
        }
        return String(line.dropFirst("REDIS_URL=".count))
    }

    static let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/services.sh").path

    /// Runs a program to its end and returns its output; a failure says how to get Redis.
    /// `ToolRun` waits without blocking a thread, and gives the child default signal handling
    /// (a server started with the test runner's blocked signals would ignore SIGTERM).
    static func run(_ program: String, _ arguments: [String]) async throws -> String {
        let result = try await ToolRun.run(program, arguments, timeout: .seconds(120))
        guard result.succeeded else {
            throw Unavailable(
                description: """
                    `\(program) \(arguments.joined(separator: " "))` failed (exit \(result.status)\(result.timedOut ? ", timed out" : "")). \
                    Install Redis (apt-get install redis-server) or point REDIS_URL at a server. Output:
                    \(result.output)
                    """)
        }
        return result.output
    }

    /// Runs `body` with a client on the shared server and a key prefix of its own, so tests can
    /// run in parallel; the prefix's keys are deleted afterwards.
    @discardableResult
    static func withClient<T>(
        connections: Int = 2,
        configuration: RedisConfiguration? = nil,
        _ body: (RedisClient, TestKeys) async throws -> T
    ) async throws -> T {
        var shared = try await self.configuration()
        // Generous: a full parallel test run (compilers included) can hold a reply for seconds.
        shared.commandTimeout = .seconds(60)
        let client = RedisClient(configuration: configuration ?? shared, connections: connections)
        let keys = TestKeys()
        func cleanUp() async {
            await client.close()
            try? await deleteKeys(keys)
        }
        do {
            let value = try await body(client, keys)
            await cleanUp()
            return value
        } catch {
            await cleanUp()
            throw error
        }
    }

    static func deleteKeys(_ keys: TestKeys) async throws {
        let connection = RedisClient(configuration: try await configuration(), connections: 1)
        var cursor = "0"
        repeat {
            let reply = try await connection.send(["SCAN", cursor, "MATCH", keys.prefix + "*", "COUNT", 1000])
            guard let page = reply.array, page.count == 2, let next = page[0].string, let found = page[1].array else {
                break
            }
            cursor = next
            let names = found.compactMap(\.bytes)
            if !names.isEmpty { try await connection.send(["DEL"] + names) }
        } while cursor != "0"
        await connection.close()
    }
}

/// Key names under a prefix unique to one test.
struct TestKeys: Sendable {
    let prefix = "test:\(UUID().uuidString.prefix(13)):"

    func callAsFunction(_ name: String) -> String { prefix + name }
}

/// Polls `condition` until it holds or `timeout` passes. Generous timeouts
/// and no upper bounds on how fast things happen: test machines are loaded.
func eventually(
    timeout: Duration = .seconds(120), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// A port nothing listens on: bound to learn a free number, then closed.
func closedPort() throws -> Int {
    #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw TestRedis.Unavailable(description: "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
            bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
        }
    }
    guard bound else { throw TestRedis.Unavailable(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
