import Foundation
import Testing

@testable import Redis

/// What every reply looks like through the client: each RESP type, binary keys and values, error
/// replies with their code, a pipeline with one failing command, the configured database.
@Suite struct RedisReplyTests {
    @Test func everyReplyType() async throws {
        try await TestRedis.withClient { pool, keys in
            #expect(try await pool.send(["SET", keys("s"), "hello"]) == .status("OK"))
            #expect(try await pool.send(["GET", keys("s")]) == .bulkString(Array("hello".utf8)))
            #expect(try await pool.send(["GET", keys("s")]).string == "hello")
            #expect(try await pool.send(["GET", keys("missing")]) == .null)
            #expect(try await pool.send(["GET", keys("missing")]).isNull)
            #expect(try await pool.send(["INCRBY", keys("n"), 41]) == .integer(41))
            #expect(try await pool.send(["INCR", keys("n")]).int == 42)
            // A counter read back with GET is a bulk string that `int` parses.
            #expect(try await pool.send(["GET", keys("n")]).int == 42)
            #expect(try await pool.send(["INCRBYFLOAT", keys("f"), 1.5]).double == 1.5)
            #expect(try await pool.send(["GET", keys("s")]).int == nil)

            try await pool.send(["RPUSH", keys("l"), "a", "b", ""])
            #expect(
                try await pool.send(["LRANGE", keys("l"), 0, -1])
                    == .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8)), .bulkString([])]))
            #expect(try await pool.send(["LRANGE", keys("missing"), 0, -1]) == .array([]))
            #expect(try await pool.send(["MGET", keys("s"), keys("missing")]).strings == ["hello", nil])

            // A nested array holding an error reply (a script's table with a pcall error).
            let results = try await pool.send([
                "EVAL",
                "return {redis.call('SET', KEYS[1], 'x'), redis.pcall('LPUSH', KEYS[1], 'y'), redis.call('LRANGE', KEYS[2], 0, 0)}",
                2, keys("t"), keys("l"),
            ])
            guard let elements = results.array, elements.count == 3 else {
                Issue.record("EXEC returned \(results)")
                return
            }
            #expect(elements[0] == .status("OK"))
            #expect(elements[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
            #expect(elements[2] == .array([.bulkString(Array("a".utf8))]))
        }
    }

    @Test func valuesAndKeysAreBinarySafe() async throws {
        try await TestRedis.withClient { pool, keys in
            let value: [UInt8] = [0, 0xff, 0xfe, 0, 0x0d, 0x0a, 0xc3, 0x28, 0]
            let key = Array(keys("bin").utf8) + [0, 0xff]
            try await pool.send(["SET", key, value])
            let reply = try await pool.send(["GET", key])
            #expect(reply.bytes == value)
            #expect(reply.string == nil)
            #expect(try await pool.send(["STRLEN", key]) == .integer(value.count))
            #expect(try await pool.send(["GET", Array(keys("bin").utf8)]) == .null)

            let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try await pool.send(["SET", keys("large"), data])
            #expect(try await pool.send(["GET", keys("large")]).bytes == Array(data))

            try await pool.send(["SET", keys("text"), "grüße 🌍"])
            #expect(try await pool.send(["GET", keys("text")]).string == "grüße 🌍")
            try await pool.send(["SET", keys("empty"), ""])
            #expect(try await pool.send(["GET", keys("empty")]) == .bulkString([]))
        }
    }

    @Test func errorRepliesAreTypedAndKeepTheirCode() async throws {
        try await TestRedis.withClient { pool, keys in
            try await pool.send(["LPUSH", keys("list"), "x"])
            await #expect {
                try await pool.send(["GET", keys("list")])
            } throws: { error in
                guard let error = error as? RedisError, case .server(let message) = error else { return false }
                return error.serverCode == "WRONGTYPE" && message.hasPrefix("WRONGTYPE ")
            }
            await #expect {
                try await pool.send(["NOSUCHCOMMAND"])
            } throws: { error in
                (error as? RedisError)?.serverCode == "ERR"
            }
            // The connection stays usable after an error reply.
            #expect(try await pool.send(["LLEN", keys("list")]) == .integer(1))
        }
    }

    @Test func pipelineRunsEveryCommandDespiteOneFailing() async throws {
        try await TestRedis.withClient(connections: 1) { pool, keys in
            try await pool.send(["LPUSH", keys("list"), "x"])
            var commands: [[any RedisArgument]] = (0..<100).map { ["SET", keys("k\($0)"), $0] }
            commands[50] = ["INCR", keys("list")]
            let results = try await pool.pipeline(commands)
            #expect(results.count == 100)
            for (index, result) in results.enumerated() where index != 50 {
                #expect((try? result.get()) == .status("OK"), "command \(index)")
            }
            #expect {
                try results[50].get()
            } throws: { error in
                (error as? RedisError)?.serverCode == "WRONGTYPE"
            }
            let values = try await pool.send(["MGET"] + (0..<100).map { keys("k\($0)") })
            #expect(values.array?.count == 100)
            #expect(values.array?[99].int == 99)
            #expect(values.array?[50] == .null)
            #expect(try await pool.pipeline([]).isEmpty)
            let mixed = try await pool.pipeline([["PING"], ["ECHO", [0, 1, 2] as [UInt8]], ["GET", keys("k7")]])
            #expect(
                mixed.map { try? $0.get() } == [.status("PONG"), .bulkString([0, 1, 2]), .bulkString(Array("7".utf8))])
        }
    }

    @Test func selectsTheConfiguredDatabase() async throws {
        var configuration = try await TestRedis.configuration()
        configuration.database = 5
        try await TestRedis.withClient(configuration: configuration) { pool, keys in
            try await pool.send(["SET", keys("db"), "five"])
            let other = RedisClient(configuration: try await TestRedis.configuration(), connections: 1)
            #expect(try await other.send(["GET", keys("db")]) == .null)
            var five = try await TestRedis.configuration()
            five.database = 5
            let again = RedisClient(configuration: five, connections: 1)
            #expect(try await again.send(["GET", keys("db")]).string == "five")
            try await again.send(["DEL", keys("db")])
            await again.close()
            await other.close()
        }
    }
}
