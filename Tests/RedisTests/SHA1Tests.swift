import Testing

@testable import Redis

@Suite struct SHA1Tests {
    @Test func knownVectors() {
        #expect(SHA1.hexDigest("".utf8) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hexDigest("abc".utf8) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            SHA1.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(
            SHA1.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        // Lengths around the padding boundary (55, 56, 64 bytes).
        #expect(SHA1.hexDigest([UInt8](repeating: 0x61, count: 55)) == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(SHA1.hexDigest([UInt8](repeating: 0x61, count: 56)) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(SHA1.hexDigest([UInt8](repeating: 0x61, count: 64)) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    @Test func scriptNamesMatchTheServer() async throws {
        let script = RedisScript("return 'sha1 check ' .. ARGV[1]")
        try await TestRedis.withPool { pool, _ in
            let loaded = try await pool.send(["SCRIPT", "LOAD", script.source])
            #expect(loaded.string == script.sha1)
        }
    }
}
