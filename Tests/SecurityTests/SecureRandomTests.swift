import Testing

@testable import Security

@Suite struct SecureRandomTests {
    @Test func bytesHaveTheRequestedLengthAndDiffer() throws {
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32 && first != second)
    }

    @Test func urlSafeTokenUsesOnlyURLSafeCharacters() throws {
        let token = try SecureRandom.urlSafeToken()
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(Base64URL.decode(token)?.count == 32)
        #expect(try SecureRandom.urlSafeToken(byteCount: 16).count == 22)
    }

    @Test func hexToken() throws {
        let token = try SecureRandom.hexToken()
        #expect(token.count == 32 && token.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
