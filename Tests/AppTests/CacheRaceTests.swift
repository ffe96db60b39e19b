import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

@testable import App

/// A read that races a write must not leave the old value in the cache: the read is held
/// between its PostgreSQL query and its cache fill while a write commits and invalidates.
/// Serialized: each test runs a whole app (a schema and a pool of its own); one at a time keeps
/// the connections a full parallel run opens to PostgreSQL down.
@Suite("Cache races", .serialized)
struct CacheRaceTests {
    /// Holds the first fill of one key until released.
    actor FillGate {
        let key: String
        private var held = false
        private var reached = false
        private var released = false

        init(key: String) { self.key = key }

        func arrive(_ key: String) async {
            guard key == self.key, !held else { return }
            held = true
            reached = true
            while !released { try? await Task.sleep(for: .milliseconds(5)) }
        }

        func waitUntilReached() async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while !reached {
                guard ContinuousClock.now < deadline else { throw TestFailure("the read never reached its cache fill") }
                try await Task.sleep(for: .milliseconds(5))
            }
        }

        func release() { released = true }
    }

    @Test func aReadHeldAcrossAWriteDoesNotCacheTheOldItem() async throws {
        let id = UUID()
        let gate = FillGate(key: "cache:item:" + id.uuidString.lowercased())
        let holdTheFill: @Sendable (inout AppDependencies) -> Void = { dependencies in
            dependencies.cache.beforeFill = { key in
                if key.hasSuffix(gate.key) { await gate.arrive(gate.key) }
            }
        }
        try await TestApp.run(adjust: holdTheFill) { app, client in
            let auth = try await app.loginSuperuser(client)
            _ = try await app.dependencies.pool.query(
                "INSERT INTO item (id, title, owner_id) VALUES (\(id), 'before', \(app.superuser.id))")

            // The read misses, takes the lease, reads 'before' and stops before filling.
            let read = Task { try await client.send(.get, "/api/v1/items/\(id)", headers: auth) }
            try await gate.waitUntilReached()

            // The write commits and invalidates while the read holds the old value.
            let write = try await client.send(.put, "/api/v1/items/\(id)", headers: auth, json: #"{"title": "after"}"#)
            #expect(write.status == .ok)
            await gate.release()
            let held = try await read.value
            #expect(try held.json["title"] == "before")

            // The held read's fill was dropped: every later read sees the write.
            for _ in 0..<3 {
                let fresh = try await client.send(.get, "/api/v1/items/\(id)", headers: auth)
                #expect(try fresh.json["title"] == "after")
            }
        }
    }

    struct Probe: Codable, Equatable, JSONBodyWritable {
        var value: String

        func writeJSON(to writer: inout JSONWriter) {
            writer.writeRaw("{\"value\":")
            writer.write(string: value)
            writer.writeRaw("}")
        }
    }

    @Test func aLeaseTakenBeforeAWriteNoLongerHoldsTheEntry() async throws {
        try await TestApp.run { app, _ in
            let key = app.dependencies.keys.prefix + "cache-race:" + UUID().uuidString.lowercased()
            let cache = app.dependencies.cache
            let redis = app.dependencies.redis
            let lease = try #require(await cache.lease(key))
            #expect(await cache.lease(key) == nil, "a second reader gets no lease while one is out")
            #expect(cache.decode(Probe.self, from: try await redis.send(["GET", key])) == nil, "a lease marker reads as a miss")
            await cache.invalidate([key])
            await cache.put(Probe(value: "stale"), lease: lease)
            #expect(try await redis.send(["GET", key]).isNull)

            // Without a write in between, the leased fill is stored.
            let second = try #require(await cache.lease(key))
            await cache.put(Probe(value: "fresh"), lease: second)
            #expect(cache.decode(Probe.self, from: try await redis.send(["GET", key])) == Probe(value: "fresh"))
            await cache.invalidate([key])
        }
    }
}
