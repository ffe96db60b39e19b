import Testing

@testable import Security

@Suite struct DigestTests {
    @Test func sha256HexMatchesKnownVectors() {
        // FIPS 180-2 vectors, identical to hashlib.sha256(...).hexdigest().
        #expect(Digest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("été") == "bd010c64132bf5cae8aea89f6762515727dcf68a5dd1de813c87f50a16c4513c")
    }

    /// FIPS 180 vectors, including a million bytes and lengths around the padding boundary.
    @Test func sha1AndSha256MatchKnownVectors() {
        let a = UInt8(ascii: "a")
        #expect(Digest.hex(Digest.sha1("".utf8)) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Digest.hex(Digest.sha1("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.hex(Digest.sha1([UInt8](repeating: a, count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        #expect(Digest.hex(Digest.sha1([UInt8](repeating: a, count: 55))) == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(Digest.hex(Digest.sha1([UInt8](repeating: a, count: 56))) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
        #expect(Digest.hex(Digest.sha1([UInt8](repeating: a, count: 64))) == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
        #expect(
            Digest.hex(Digest.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Digest.hex(Digest.sha256([UInt8](repeating: a, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256HasThirtyTwoBytes() {
        #expect(Digest.sha256([0x61, 0x62, 0x63]).count == 32)
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231 test case 2.
        let mac = HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(mac.map(Digest.hex) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
