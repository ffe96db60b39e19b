import Testing

@testable import Security

@Suite struct Base64URLTests {
    @Test func encodesWithoutPadding() {
        #expect(Base64URL.encode([UInt8]()) == "")
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
    }

    @Test func roundTripsEveryLength() throws {
        for length in 0..<70 {
            let bytes = try SecureRandom.bytes(count: length)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test(arguments: ["Zg==", "Zh", "Z", "Zm9v+", "Zm/v", "Zm 9", "Zm9vZ"])
    func refusesNonCanonicalOrForeignText(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
