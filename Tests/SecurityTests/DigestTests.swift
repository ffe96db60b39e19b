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

    /// Slices, strings' bytes and collections with no contiguous storage give the same digits.
    @Test func hexAndDigestsReadAnyCollectionOfBytes() {
        let bytes: [UInt8] = [0x00, 0x0f, 0x10, 0xa5, 0xff]
        #expect(Digest.hex(bytes) == "000f10a5ff")
        #expect(Digest.hex(bytes[1..<4]) == "0f10a5")
        #expect(Digest.hex(bytes.lazy.map { $0 }) == "000f10a5ff")
        #expect(Digest.hex([UInt8]()) == "")
        #expect(Digest.sha256("abc".utf8.lazy.map { $0 }) == Digest.sha256(Array("abc".utf8)))
        #expect(Digest.sha256(Array("xabc".utf8)[1...]) == Digest.sha256("abc".utf8))
    }

    @Test func sha256HasThirtyTwoBytes() {
        #expect(Digest.sha256([0x61, 0x62, 0x63]).count == 32)
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231 test case 2.
        let mac = HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(mac.map(Digest.hex) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// A key kept for many messages gives every message its own MAC, the same as a key made for
    /// one message, from any number of tasks at once: the keyed context is only ever copied.
    @Test func aKeptKeyAuthenticatesManyMessagesConcurrently() async throws {
        let key = try #require(HMACSHA256.Key(Array("Jefe".utf8)))
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        let results = await withTaskGroup(of: [String?].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<200).map { index in
                        key.authenticate(Array((index % 2 == 0 ? "what do ya want for nothing?" : "something else").utf8)).map(Digest.hex)
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == 1_600)
        #expect(
            results.enumerated().allSatisfy {
                $0.element
                    == ($0.offset % 2 == 0
                        ? expected : HMACSHA256.authenticate(Array("something else".utf8), key: Array("Jefe".utf8)).map(Digest.hex))
            })
    }

    /// RFC 4231 test case 6: a key longer than SHA-256's block is hashed first; and a message
    /// that is not contiguous in memory (a lazy collection) reads the same as its bytes.
    @Test func longKeysAndNonContiguousMessages() throws {
        let key = [UInt8](repeating: 0xAA, count: 131)
        let message = "Test Using Larger Than Block-Size Key - Hash Key First"
        let expected = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        #expect(HMACSHA256.authenticate(Array(message.utf8), key: key).map(Digest.hex) == expected)
        #expect(HMACSHA256.authenticate(message.utf8.lazy.map { $0 }, key: key).map(Digest.hex) == expected)
        #expect(Digest.hex(Digest.sha256("abc".utf8.lazy.map { $0 })) == Digest.hex(Digest.sha256(Array("abc".utf8))))
    }

    /// An empty key is refused (nil, not a MAC under no key: OpenSSL 3 does not key HMAC with
    /// zero bytes, and no caller has one: `TokenCodec` refuses an empty secret first); an empty
    /// message under a key is an ordinary MAC (Python: `hmac.new(b"Jefe", b"", "sha256")`).
    @Test func emptyKeysAreRefusedAndEmptyMessagesAuthenticate() {
        #expect(HMACSHA256.Key([]) == nil)
        #expect(HMACSHA256.authenticate(Array("message".utf8), key: []) == nil)
        #expect(
            HMACSHA256.authenticate([UInt8](), key: Array("Jefe".utf8)).map(Digest.hex)
                == "923598ca6d64af2a5dba79dcd021a8a0fe5c5f557519adaaf0ad532d4506dd30")
    }
}
