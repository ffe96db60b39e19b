import Foundation
import Testing

@testable import Redis

/// The multiplexed client against the test Redis: replies, errors, many concurrent callers on
/// few connections, scripts, timeouts, and a server that goes away and comes back.
@Suite struct RedisClientTests {
    func withClient(connections: Int = 2, configuration: RedisConfiguration? = nil, _ body: (RedisClient, TestKeys) async throws -> Void)
        async throws
    {
        try await TestRedis.withClient(connections: connections, configuration: configuration, body)
    }

    /// What `/metrics` shows of the client: nothing open before the first command; open and idle
    /// once answered, after a slow reply too. (Catching `busy` while a reply is pending needs the
    /// server held long enough to poll it, which on the shared Redis would stall other tests: a
    /// timing-based check of it failed on a loaded machine.)
    @Test func statisticsFollowTheConnections() async throws {
        try await withClient(connections: 2) { client, _ in
            #expect(client.statistics == .init(open: 0, busy: 0, waiting: 0))
            try await client.ping()
            #expect(client.statistics.open >= 1)
            #expect(client.statistics.busy == 0)
            let slow = RedisScript("local i = 0 while i < 100000 do i = i + 1 end return 1")
            #expect(try await client.evaluate(slow).int == 1)
            #expect(client.statistics.open >= 1)
            #expect(client.statistics.busy == 0)
            #expect(client.statistics.waiting == 0)
        }
    }

    @Test func repliesOfEveryKind() async throws {
        try await withClient { client, keys in
            #expect(try await client.send(["SET", keys("s"), "value"]) == .status("OK"))
            #expect(try await client.send(["GET", keys("s")]).string == "value")
            #expect(try await client.send(["GET", keys("missing")]) == .null)
            #expect(try await client.send(["INCRBY", keys("n"), 41]).int == 41)
            _ = try await client.send(["RPUSH", keys("l"), "a", "b"])
            #expect(
                try await client.send(["LRANGE", keys("l"), 0, -1]) == .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8))]))
            // Binary-safe both ways: NUL, invalid UTF-8, CR LF inside a value.
            let bytes: [UInt8] = [0, 0xff, 0xfe, 13, 10, 36, 42, 0]
            _ = try await client.send(["SET", keys("b"), bytes])
            #expect(try await client.send(["GET", keys("b")]).bytes == bytes)
            let large = [UInt8](repeating: 7, count: 300_000)
            _ = try await client.send(["SET", keys("large"), large])
            #expect(try await client.send(["GET", keys("large")]).bytes == large)
        }
    }

    @Test func serverErrorsAreTypedAndTheConnectionCarriesOn() async throws {
        try await withClient(connections: 1) { client, keys in
            _ = try await client.send(["SET", keys("s"), "text"])
            await #expect {
                try await client.send(["LPUSH", keys("s"), "x"])
            } throws: { error in
                (error as? RedisError)?.serverCode == "WRONGTYPE"
            }
            #expect(try await client.send(["GET", keys("s")]).string == "text")
            let results = try await client.pipeline([["SET", keys("p"), "1"], ["INCR", keys("s")], ["GET", keys("p")]])
            #expect(try results[0].get() == .status("OK"))
            #expect(throws: RedisError.self) { try results[1].get() }
            #expect(try results[2].get().string == "1")
        }
    }

    @Test func stateChangingAndBlockingCommandsAreRefused() async throws {
        try await withClient { client, keys in
            for command in [["MULTI"], ["SELECT", "1"], ["BLPOP", keys("l"), "1"], ["SUBSCRIBE", "c"], ["watch", keys("w")]] {
                await #expect(throws: RedisError.self, "\(command)") {
                    try await client.send(command)
                }
            }
            let pong = try await client.send(["PING"])
            #expect(pong == .status("PONG"))
        }
    }

    @Test func manyConcurrentCallersShareTwoConnectionsInOrder() async throws {
        try await withClient(connections: 2) { client, keys in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<2_000 {
                    group.addTask {
                        // Each caller gets its own reply back, not a neighbour's.
                        let value = "v\(index)"
                        _ = try await client.send(["SET", keys("k\(index)"), value])
                        let read = try await client.send(["GET", keys("k\(index)")]).string
                        if read != value { throw RedisError.unexpectedReply("\(index): \(read ?? "nil")") }
                        _ = try await client.send(["INCR", keys("counter")])
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.send(["GET", keys("counter")]).int == 2_000)
            let clients = try await client.send(["CLIENT", "LIST"]).string ?? ""
            #expect(clients.split(separator: "\n").count >= 1)
        }
    }

    /// The fallback after `SCRIPT FLUSH` is tested on a private server (RedisScriptTests): a flush
    /// on the shared one races every other test that runs scripts.
    @Test func scriptsRunByDigest() async throws {
        try await withClient { client, keys in
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            let first = try await client.evaluate(script, keys: [keys("n")], arguments: [2])
            let second = try await client.evaluate(script, keys: [keys("n")], arguments: [3])
            #expect(first.int == 2)
            #expect(second.int == 5)
        }
    }

    @Test func aLateReplyTimesOutAndTheNextCommandReconnects() async throws {
        // A private server: the script below holds the whole server for a second.
        try await withPrivateClient(commandTimeout: .milliseconds(300)) { (client: RedisClient) async throws in
            await #expect(throws: RedisError.timeout) {
                try await client.send(["EVAL", Self.busyScript, 0, 1000])
            }
            // Not the late reply: a new connection and its own answer.
            let recovered = await eventually { (try? await client.send(["SET", "after", "1"])) != nil }
            #expect(recovered)
            // Still with the 300 ms timeout, which a busy machine can exceed: asked until it answers.
            #expect(await eventually { (try? await client.send(["GET", "after"]).string) == "1" })
        }
    }

    /// The connection keeps one timer, not one per command: a command sent after another
    /// was answered has its whole timeout from its own sending, and still times out after it.
    @Test func eachCommandHasItsTimeoutFromItsOwnSending() async throws {
        // Seconds, not fractions of one: each step has a second and more of slack for a machine
        // busy with the rest of the suite.
        try await withPrivateClient(commandTimeout: .milliseconds(3000)) { (client: RedisClient) async throws in
            // The timer set for the PING fires 3 s after it, in the middle of the script, which is
            // due 5 s after the PING: it must wait for the script's own deadline.
            #expect(try await client.send(["PING"]).string == "PONG")
            try await Task.sleep(for: .milliseconds(2000))
            #expect(try await client.send(["EVAL", Self.busyScript, 0, 1500]).int == 1)
            // And set again for a later command, it still fires: once the timer is idle, the same
            // again with a script that outlasts its own deadline.
            try await Task.sleep(for: .milliseconds(3500))
            #expect(try await client.send(["PING"]).string == "PONG")
            try await Task.sleep(for: .milliseconds(2000))
            await #expect(throws: RedisError.timeout) {
                try await client.send(["EVAL", Self.busyScript, 0, 4500])
            }
        }
    }

    /// Holds the whole server for `ARGV[1]` milliseconds, then answers 1.
    static let busyScript = """
        local start = redis.call('TIME')
        while true do
          local now = redis.call('TIME')
          if (now[1] - start[1]) * 1000000 + (now[2] - start[2]) > tonumber(ARGV[1]) * 1000 then return 1 end
        end
        """

    /// A client of one connection to a server of its own, for tests that stall the server.
    private func withPrivateClient(
        commandTimeout: Duration, _ body: (RedisClient) async throws -> Void
    ) async throws {
        let server = try PrivateRedisServer()
        try await server.start()
        var configuration = try server.configuration()
        configuration.commandTimeout = commandTimeout
        let client = RedisClient(configuration: configuration, connections: 1)
        do {
            try await body(client)
        } catch {
            await client.close()
            try? await server.stop()
            await server.remove()
            throw error
        }
        await client.close()
        try? await server.stop()
        await server.remove()
    }

    @Test func aKilledConnectionIsReopenedByTheNextCommand() async throws {
        let name = "killed-\(UUID().uuidString.prefix(8))"
        var configuration = try await TestRedis.configuration()
        configuration.clientName = name
        try await withClient(connections: 1, configuration: configuration) { client, _ in
            let id = try #require(try await client.send(["CLIENT", "ID"]).int)
            let adminConfiguration = try await TestRedis.configuration()
            let admin = RedisClient(configuration: adminConfiguration, connections: 1)
            _ = try await admin.send(["CLIENT", "KILL", "ID", id])
            await admin.close()
            let reopened = await eventually {
                (try? await client.send(["CLIENT", "ID"]).int).map { $0 != id } ?? false
            }
            #expect(reopened)
        }
    }

    @Test func unreachableServerIsAConnectFailureAndAClosedClientRefuses() async throws {
        let closed = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: 1), connections: 1)
        await #expect {
            try await closed.ping()
        } throws: { error in
            guard case .connectFailed = error as? RedisError else { return false }
            return true
        }
        await closed.close()
        await #expect(throws: RedisError.poolClosed) { try await closed.ping() }
    }

    @Test func restartOfTheServer() async throws {
        let server = try PrivateRedisServer()
        try await server.start()
        let client = RedisClient(configuration: try server.configuration(), connections: 2)
        _ = try await client.send(["SET", "k", "before"])
        try await server.stop()
        await #expect(throws: RedisError.self) { try await client.send(["GET", "k"]) }
        try await server.start()
        let back = await eventually { (try? await client.send(["SET", "k", "after"])) != nil }
        #expect(back)
        #expect(try await client.send(["GET", "k"]).string == "after")
        await client.close()
        try? await server.stop()
        await server.remove()
    }
}
