import Foundation
import ServerRuntime
import Testing

/// The generated direct writers (`writeJSON`) against the encoder they stand in for: the same
/// bytes for the same value, whatever the strings, dates and nils.
@Suite("Direct JSON writers")
struct JSONBodyWritableTests {
    static let owner = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
    static let items: [ItemPublic] = [
        ItemPublic(
            title: "a/b", description: nil, id: UUID(uuidString: "1B4E28BA-2FA1-11D2-883F-0016D3CCA427")!, ownerId: owner,
            createdAt: Date(timeIntervalSince1970: 0)),
        ItemPublic(
            title: "quote \" backslash \\ newline \n tab \t bell \u{07} nul \u{00}", description: "é 漢字 🎉 \u{7F}",
            id: UUID(), ownerId: owner, createdAt: Date(timeIntervalSince1970: 1_765_000_000.123456)),
        ItemPublic(title: "", description: "", id: UUID(), ownerId: owner, createdAt: nil),
        ItemPublic(title: "before 1970", id: UUID(), ownerId: owner, createdAt: Date(timeIntervalSince1970: -86_400.5)),
    ]

    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        var writer = JSONWriter()
        writer.write(try JSONValueEncoder().encode(value))
        return writer.bytes
    }

    @Test(arguments: items)
    func aModelWritesWhatTheEncoderWrites(_ item: ItemPublic) throws {
        #expect(JSONWriter.bytes(of: item) == (try Self.encoded(item)))
    }

    @Test func nestedArraysAndTopLevelArraysToo() throws {
        let page = ItemsPublic(data: Self.items, count: 4)
        #expect(JSONWriter.bytes(of: page) == (try Self.encoded(page)))
        #expect(JSONWriter.bytes(of: Self.items) == (try Self.encoded(Self.items)))
        #expect(JSONWriter.bytes(of: [ItemPublic]()) == Array("[]".utf8))
    }

    @Test func optionalsAreLeftOutOrNullAsTheEncoderDecides() throws {
        let token = Token(accessToken: "a", tokenType: "bearer")
        #expect(String(decoding: JSONWriter.bytes(of: token), as: UTF8.self) == (String(decoding: try Self.encoded(token), as: UTF8.self)))
        let form = OAuth2PasswordRequestForm(username: "u", password: "p")
        #expect(JSONWriter.bytes(of: form) == (try Self.encoded(form)))
    }

    @Test func unionVariantsWriteTheirOwnForm() throws {
        for value in [ValidationErrorLocItem.integer(-3), .string("body")] {
            #expect(JSONWriter.bytes(of: value) == (try Self.encoded(value)))
        }
    }

    /// A response that is a bare value (`true` from a health check) or a container of them.
    @Test func scalarsAndContainersWriteWhatTheEncoderWrites() throws {
        #expect(JSONWriter.bytes(of: true) == (try Self.encoded(true)))
        #expect(JSONWriter.bytes(of: "a \"b\" \u{1}") == (try Self.encoded("a \"b\" \u{1}")))
        #expect(JSONWriter.bytes(of: -42) == (try Self.encoded(-42)))
        #expect(JSONWriter.bytes(of: 0.1) == (try Self.encoded(0.1)))
        #expect(JSONWriter.bytes(of: Double.infinity) == (try Self.encoded(Double.infinity)))
        #expect(JSONWriter.bytes(of: Self.owner) == (try Self.encoded(Self.owner)))
        let date = Date(timeIntervalSince1970: 1_765_000_000.5)
        #expect(JSONWriter.bytes(of: date) == (try Self.encoded(date)))
        #expect(JSONWriter.bytes(of: [Int?.none, 1]) == (try Self.encoded([Int?.none, 1])))
        #expect(JSONWriter.bytes(of: ["k": [Self.owner]]) == (try Self.encoded(["k": [Self.owner]])))
        let value: JSONValue = .object(JSONObject([.init(key: "a", value: .array([.null, .bool(false)]))]))
        #expect(JSONWriter.bytes(of: value) == (try Self.encoded(value)))
    }
}
