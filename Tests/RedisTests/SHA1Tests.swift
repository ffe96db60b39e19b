import Testing

@testable import Redis

/// Scripts are named by OpenSSL's SHA-1 (Security.Digest), which must be the name Redis gives them.
@Suite struct SHA1Tests {
    @Test func scriptNamesMatchTheServer() async throws {
        let script = RedisScript("return 'sha1 check ' .. ARGV[1]")
        try await TestRedis.withClient { pool, _ in
            let loaded = try await pool.send(["SCRIPT", "LOAD", script.source])
            #expect(loaded.string == script.sha1)
        }
    }
}
