import Foundation
import Testing

@testable import Redis

/// What needs a server of its own: a restart, a password.
@Suite(.enabled(if: PrivateRedisServer.installed, "needs redis-server to run a private server"))
struct RedisPrivateServerTests {
    @Test func poolAndSubscriberSurviveAServerRestart() async throws {
        let server = try PrivateRedisServer()
        try await server.start()
        let pool = RedisClient(configuration: try server.configuration(), connections: 2)
        let subscriber = try await RedisSubscriber.connect(
            try server.configuration(), channels: ["restart"], maxReconnectDelay: .milliseconds(500))
        let collector = MessageCollector(subscriber)
        func cleanUp() async {
            await subscriber.close()
            await pool.close()
            await server.remove()
        }
        do {
            try await pool.send(["SET", "before", "1"])
            #expect(try await pool.publish("restart", "before") == 1)
            #expect(await collector.first { $0.string == "before" } != nil)

            #expect(subscriber.isConnected)
            try await server.stop()
            #expect(await eventually { !subscriber.isConnected })
            // While the server is down, commands fail with a typed error.
            await #expect {
                try await pool.send(["GET", "before"])
            } throws: { error in
                switch error as? RedisError {
                case .connectFailed, .connectionLost: true
                default: false
                }
            }

            try await server.start()
            // The same pool works again (the server started empty: no saves).
            #expect(try await pool.send(["GET", "before"]) == .null)
            try await pool.send(["SET", "after", "2"])
            #expect(try await pool.send(["GET", "after"]).string == "2")

            // The subscriber re-subscribes on its own.
            #expect(try await eventually { try await pool.publish("restart", "probe") == 1 })
            #expect(try await pool.publish("restart", "after") == 1)
            #expect(await collector.first { $0.string == "after" } != nil)
            #expect(subscriber.isConnected)
            #expect(!collector.hasEnded)
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
        #expect(await eventually { collector.hasEnded })
    }

    @Test func authenticatesWithThePassword() async throws {
        let server = try PrivateRedisServer(password: "s3cret pass")
        try await server.start()
        defer { Task { await server.remove() } }
        var configuration = try server.configuration()
        #expect(configuration.password == "s3cret pass")

        let client = RedisClient(configuration: configuration, connections: 1)
        try await client.ping()
        await client.close()

        // The ACL form names the default user.
        let withUser = try RedisClient(url: "redis://default:s3cret%20pass@127.0.0.1:\(server.port)", connections: 1)
        try await withUser.ping()
        await withUser.close()

        configuration.password = "wrong"
        let refused = RedisClient(configuration: configuration, connections: 1)
        await #expect {
            try await refused.ping()
        } throws: { error in
            guard case .connectFailed(let message) = error as? RedisError else { return false }
            return message.contains("AUTH failed") && message.contains("WRONGPASS") && !message.contains("wrong ")
        }
        await refused.close()
        await #expect {
            try await RedisSubscriber.connect(configuration, channels: ["x"])
        } throws: { error in
            guard case .connectFailed = error as? RedisError else { return false }
            return true
        }

        configuration.password = nil
        let anonymous = RedisClient(configuration: configuration, connections: 1)
        defer { Task { await anonymous.close() } }
        await #expect {
            try await anonymous.ping()
        } throws: { error in
            guard case .connectFailed(let message) = error as? RedisError else { return false }
            return message.contains("NOAUTH")
        }
    }
}
