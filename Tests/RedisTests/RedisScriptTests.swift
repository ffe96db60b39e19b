import Foundation
import Testing

@testable import Redis

@Suite struct RedisScriptTests {
    @Test func evaluatesByDigestAndLoadsUnknownScripts() async throws {
        // A source no server has seen: the first run finds no cached script.
        let script = RedisScript(
            """
            -- \(UUID().uuidString)
            redis.call('SET', KEYS[1], ARGV[1])
            return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1, redis.call('GET', KEYS[1])}
            """)
        try await TestRedis.withClient { pool, keys in
            #expect(try await pool.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
            let reply = try await pool.evaluate(script, keys: [keys("lua")], arguments: ["value", 41])
            #expect(
                reply
                    == .array([
                        .bulkString(Array(keys("lua").utf8)), .bulkString(Array("value".utf8)), .integer(42),
                        .bulkString(Array("value".utf8)),
                    ]))
            // EVAL cached it under the digest computed here (unless a test flushed scripts in between).
            #expect(try await pool.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
            #expect(
                try await pool.evaluate(script, keys: [keys("lua")], arguments: ["again", 1]).array?[2] == .integer(2))
        }
    }

    @Test func scriptErrorsAreServerErrors() async throws {
        let script = RedisScript("return redis.call('INCR', KEYS[1])")
        try await TestRedis.withClient { pool, keys in
            try await pool.send(["LPUSH", keys("list"), "x"])
            await #expect {
                try await pool.evaluate(script, keys: [keys("list")])
            } throws: { error in
                guard case .server(let message) = error as? RedisError else { return false }
                return message.contains("WRONGTYPE")
            }
            #expect(try await pool.evaluate(script, keys: [keys("counter")]) == .integer(1))
        }
    }

    /// `SCRIPT FLUSH` on a private server: on the shared one it would
    /// disturb whatever else runs scripts there.
    @Test(.enabled(if: PrivateRedisServer.installed, "needs redis-server to run a private server"))
    func fallsBackToEvalAfterScriptFlush() async throws {
        let server = try PrivateRedisServer()
        try await server.start()
        let pool = RedisClient(configuration: try server.configuration(), connections: 1)
        do {
            let script = RedisScript("return 'answer ' .. ARGV[1]")
            #expect(try await pool.evaluate(script, arguments: [1]).string == "answer 1")
            #expect(try await pool.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
            try await pool.send(["SCRIPT", "FLUSH"])
            #expect(try await pool.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
            #expect(try await pool.evaluate(script, arguments: [2]).string == "answer 2")
            #expect(try await pool.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
        } catch {
            await pool.close()
            await server.remove()
            throw error
        }
        await pool.close()
        await server.remove()
    }
}
