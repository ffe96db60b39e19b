import Foundation
import Testing

@testable import Redis

@Suite struct RedisPoolTests {
    /// The connections tagged `name` that the server has open.
    func connections(named name: String) async throws -> Int {
        let admin = try await RedisConnection.connect(try await TestRedis.configuration())
        let list = try await admin.send(["CLIENT", "LIST"]).string ?? ""
        await admin.close()
        return list.split(separator: "\n").filter { $0.contains(" name=\(name) ") }.count
    }

    @Test func boundedPoolServesMoreCallersThanConnections() async throws {
        let size = 3
        let name = "bounded-\(UUID().uuidString.prefix(8))"
        let configuration = try await TestRedis.configuration(clientName: name)
        try await TestRedis.withPool(maxConnections: size, configuration: configuration) { pool, keys in
            let most = Locked(0)
            let ids = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<(size * 5) {
                    group.addTask {
                        // Holds its connection a while (BLPOP times out).
                        try await pool.withConnection { connection in
                            try await connection.send(["BLPOP", keys("none\(index)"), 0.05])
                            return try await connection.send(["CLIENT", "ID"]).int ?? -1
                        }
                    }
                }
                group.addTask {
                    let open = try await connections(named: name)
                    most.withLock { $0 = max($0, open) }
                    return -2
                }
                var ids: [Int] = []
                for try await id in group where id != -2 { ids.append(id) }
                return ids
            }
            #expect(ids.count == size * 5)
            #expect(Set(ids).count <= size)
            #expect(Set(ids).count > 1)
            #expect(most.withLock { $0 } <= size)
            #expect(try await connections(named: name) <= size)
            #expect(pool.statistics.open <= size)
            #expect(pool.statistics.waiting == 0)
        }
    }

    @Test func concurrentCommandsAllLand() async throws {
        // A generous checkout timeout: under a full parallel test run on 2 cores, other suites
        // can hold the cooperative threads for seconds (they wait on child processes).
        try await TestRedis.withPool(maxConnections: 4, checkoutTimeout: .seconds(120)) { pool, keys in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 {
                    group.addTask { try await pool.send(["INCR", keys("counter")]) }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.send(["GET", keys("counter")]).int == 200)
            #expect(pool.statistics.open <= 4)
        }
    }

    @Test func checkoutTimesOutWhileAllConnectionsAreHeld() async throws {
        try await TestRedis.withPool(maxConnections: 1, checkoutTimeout: .milliseconds(200)) { pool, _ in
            try await pool.withConnection { held in
                let clock = ContinuousClock()
                let start = clock.now
                await #expect(throws: RedisError.checkoutTimeout) {
                    try await pool.send(["PING"])
                }
                // It waited for the checkout timeout; no upper bound, which a loaded machine breaks.
                #expect(clock.now - start >= .milliseconds(150))
                try await held.ping()
            }
            try await pool.ping()
            #expect(pool.statistics.waiting == 0)
        }
    }

    @Test func idleConnectionKilledByTheServerReconnectsTransparently() async throws {
        try await TestRedis.withPool(maxConnections: 1) { pool, _ in
            let id = try #require(try await pool.send(["CLIENT", "ID"]).int)
            let admin = try await RedisConnection.connect(try await TestRedis.configuration())
            try await admin.send(["CLIENT", "KILL", "ID", id])
            await admin.close()
            // The socket's closing reaches this side asynchronously.
            try await Task.sleep(for: .milliseconds(100))
            let newID = try #require(try await pool.send(["CLIENT", "ID"]).int)
            #expect(newID != id)
            #expect(pool.statistics.open == 1)
        }
    }

    @Test func returnedConnectionIsClean() async throws {
        try await TestRedis.withPool(maxConnections: 1) { pool, keys in
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await pool.withConnection { connection in
                    try await connection.send(["WATCH", keys("w")])
                    try await connection.send(["SELECT", 7])
                    try await connection.send(["MULTI"])
                    try await connection.send(["SET", keys("queued"), "x"])
                    throw Abandoned()
                }
            }
            // Not inside the abandoned MULTI, back on database 0, no WATCH.
            #expect(try await pool.send(["SET", keys("after"), "y"]) == .status("OK"))
            #expect(try await pool.send(["GET", keys("queued")]) == .null)
            let database = try await pool.send(["CLIENT", "INFO"]).string ?? ""
            #expect(database.contains(" db=0 "))
            #expect(database.contains(" multi=-1 "))
        }
    }

    @Test func closedPoolRefusesCheckouts() async throws {
        let pool = RedisPool(configuration: try await TestRedis.configuration(), maxConnections: 1)
        try await pool.ping()
        let busy = Locked(false)
        async let waiting: Void = pool.withConnection { _ in
            busy.withLock { $0 = true }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(await eventually { busy.withLock { $0 } })
        await pool.close()
        await #expect(throws: RedisError.poolClosed) {
            try await pool.ping()
        }
        try await waiting
        #expect(pool.statistics.open == 0)
    }
}
