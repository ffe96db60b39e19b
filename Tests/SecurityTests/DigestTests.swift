import Testing

@testable import Security

@Suite struct DigestTests {
    @Test func sha256HexMatchesKnownVectors() {
        // FIPS 180-2 vectors, identical to hashlib.sha256(...).hexdigest().
        #expect(Digest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("été") == "bd010c64132bf5cae8aea89f6762515727dcf68a5dd1de813c87f50a16c4513c")
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
