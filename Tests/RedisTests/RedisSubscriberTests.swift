import Foundation
import Testing

@testable import Redis

@Suite struct RedisSubscriberTests {
    /// How many connections tagged `name` the shared server has open.
    func connections(named name: String) async throws -> Int {
        let admin = RedisClient(configuration: try await TestRedis.configuration(), connections: 1)
        let list = try await admin.send(["CLIENT", "LIST"]).string ?? ""
        await admin.close()
        return list.split(separator: "\n").filter { $0.contains(" name=\(name) ") }.count
    }

    @Test func deliversPublishedMessages() async throws {
        let keys = TestKeys()
        let subscriber = try await RedisSubscriber.connect(
            try await TestRedis.configuration(), channels: [keys("news")], patterns: [keys("events:*")])
        let collector = MessageCollector(subscriber)
        let pool = RedisClient(configuration: try await TestRedis.configuration())
        #expect(try await pool.publish(keys("news"), "hello") == 1)
        #expect(try await pool.publish(keys("news"), [0, 0xff, 0] as [UInt8]) == 1)
        #expect(try await pool.publish(keys("events:created"), "item 7") == 1)
        #expect(try await pool.publish(keys("elsewhere"), "nobody") == 0)
        await pool.close()
        let hello = await collector.first { $0.string == "hello" }
        #expect(hello == RedisMessage(channel: keys("news"), payload: Array("hello".utf8)))
        let binary = await collector.first { $0.payload.first == 0 }
        #expect(binary?.payload == [0, 0xff, 0])
        #expect(binary?.string == nil)
        let event = await collector.first { $0.pattern != nil }
        #expect(
            event
                == RedisMessage(
                    channel: keys("events:created"), payload: Array("item 7".utf8), pattern: keys("events:*")))
        #expect(collector.messages.count == 3)
        await subscriber.close()
    }

    @Test func keepsPublishOrder() async throws {
        let keys = TestKeys()
        let subscriber = try await RedisSubscriber.connect(try await TestRedis.configuration(), channels: [keys("seq")])
        let collector = MessageCollector(subscriber)
        try await TestRedis.withClient { pool, _ in
            let results = try await pool.pipeline((0..<500).map { ["PUBLISH", keys("seq"), $0] })
            #expect(results.allSatisfy { (try? $0.get()) == .integer(1) })
        }
        #expect(await eventually { collector.messages.count == 500 })
        #expect(collector.messages.map { Int($0.string ?? "") } == (0..<500).map { $0 })
        await subscriber.close()
    }

    @Test func subscribesAndUnsubscribesWhileRunning() async throws {
        let keys = TestKeys()
        let subscriber = try await RedisSubscriber.connect(try await TestRedis.configuration())
        let collector = MessageCollector(subscriber)
        try await TestRedis.withClient { pool, _ in
            #expect(try await pool.publish(keys("a"), "early") == 0)
            try await subscriber.subscribe(channels: [keys("a"), keys("b")], patterns: [keys("p*")])
            #expect(subscriber.channels == [keys("a"), keys("b")])
            #expect(subscriber.patterns == [keys("p*")])
            #expect(try await pool.publish(keys("a"), "one") == 1)
            #expect(try await pool.publish(keys("pq"), "two") == 1)
            try await subscriber.unsubscribe(channels: [keys("a")], patterns: [keys("p*")])
            #expect(subscriber.channels == [keys("b")])
            #expect(try await pool.publish(keys("a"), "late") == 0)
            #expect(try await pool.publish(keys("pq"), "late") == 0)
            #expect(try await pool.publish(keys("b"), "three") == 1)
            // Subscribing again to a subscribed channel is harmless.
            try await subscriber.subscribe(channels: [keys("b")])
            #expect(try await pool.publish(keys("b"), "four") == 1)
        }
        #expect(await eventually { collector.messages.count == 4 })
        #expect(collector.messages.map(\.string) == ["one", "two", "three", "four"])
        await subscriber.close()
    }

    @Test func closeEndsTheStreamAndTheConnection() async throws {
        let keys = TestKeys()
        let name = "subscriber-\(UUID().uuidString.prefix(8))"
        let subscriber = try await RedisSubscriber.connect(
            try await TestRedis.configuration(clientName: name), channels: [keys("c")])
        let collector = MessageCollector(subscriber)
        #expect(try await connections(named: name) == 1)
        #expect(subscriber.isConnected)
        await subscriber.close()
        #expect(!subscriber.isConnected)
        #expect(await eventually { collector.hasEnded })
        #expect(try await eventually { try await connections(named: name) == 0 })
        await #expect(throws: RedisError.connectionClosed) {
            try await subscriber.subscribe(channels: [keys("d")])
        }
        // Closing twice is harmless.
        await subscriber.close()
    }

    @Test func cancellingTheConsumerEndsTheSubscriber() async throws {
        let keys = TestKeys()
        let name = "subscriber-\(UUID().uuidString.prefix(8))"
        let subscriber = try await RedisSubscriber.connect(
            try await TestRedis.configuration(clientName: name), channels: [keys("c")])
        let collector = MessageCollector(subscriber)
        #expect(try await connections(named: name) == 1)
        collector.cancel()
        #expect(await eventually { collector.hasEnded })
        #expect(try await eventually { try await connections(named: name) == 0 })
    }

    @Test func resubscribesAfterItsConnectionIsKilled() async throws {
        let keys = TestKeys()
        let name = "subscriber-\(UUID().uuidString.prefix(8))"
        let subscriber = try await RedisSubscriber.connect(
            try await TestRedis.configuration(clientName: name), channels: [keys("c")], patterns: [keys("p*")])
        let collector = MessageCollector(subscriber)
        #expect(subscriber.connectionNumber == 1)
        let pool = RedisClient(configuration: try await TestRedis.configuration())
        // Killed by name: the connection the subscriber has right now.
        let list = try await pool.send(["CLIENT", "LIST"]).string ?? ""
        let line = try #require(list.split(separator: "\n").first { $0.contains(" name=\(name) ") })
        let id = try #require(line.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
        try await pool.send(["CLIENT", "KILL", "ID", String(id)])
        // Both the channel and the pattern come back.
        #expect(try await eventually { try await pool.publish(keys("c"), "probe") == 1 })
        #expect(try await eventually { try await pool.publish(keys("pq"), "probe") == 1 })
        #expect(try await pool.publish(keys("c"), "after") == 1)
        #expect(await collector.first { $0.string == "after" } != nil)
        #expect(!collector.hasEnded)
        // Counted, so a consumer can tell that messages may have been lost in between.
        #expect(try #require(subscriber.connectionNumber) >= 2)
        await pool.close()
        await subscriber.close()
        #expect(subscriber.connectionNumber == nil)
    }

    @Test func connectFailsOnAClosedPort() async throws {
        let port = try closedPort()
        await #expect {
            try await RedisSubscriber.connect(url: "redis://127.0.0.1:\(port)", channels: ["x"])
        } throws: { error in
            guard case .connectFailed = error as? RedisError else { return false }
            return true
        }
    }
}
