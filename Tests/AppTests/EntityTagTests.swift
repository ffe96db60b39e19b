import API
import Foundation
import Security
import ServerRuntime
import Testing

@testable import App

/// Entity tags hash the response body (`JSONBodyWritable`): equal values share a tag, and any
/// change to what the client would read changes it.
@Suite("Entity tags")
struct EntityTagTests {
    static let owner = UUID(uuidString: "6fa858d5-30e6-4257-aa11-6db9d818af91")!
    static let item = ItemPublic(
        title: "a title", description: "words", id: UUID(uuidString: "fff3b74d-8b5c-44f9-a87d-b6d9a3aa6e9e")!, ownerId: owner,
        createdAt: Date(timeIntervalSince1970: 1_765_000_000.123456))

    @Test func equalValuesShareATagAndItIsStrongAndQuoted() throws {
        let tag = EntityTag.of(Self.item)
        #expect(tag == (EntityTag.of(Self.item)))
        #expect(tag.count == 34 && tag.hasPrefix("\"") && tag.hasSuffix("\""))
    }

    @Test func everyFieldTheClientReadsChangesTheTag() throws {
        let tag = EntityTag.of(Self.item)
        var changed = [ItemPublic]()
        var title = Self.item
        title.title = "another title"
        changed.append(title)
        var cleared = Self.item
        cleared.description = nil
        changed.append(cleared)
        var empty = Self.item
        empty.description = ""
        changed.append(empty)
        var owner = Self.item
        owner.ownerId = UUID()
        changed.append(owner)
        var later = Self.item
        later.createdAt = Self.item.createdAt.map { $0.addingTimeInterval(0.000001) }
        changed.append(later)
        let tags = changed.map(EntityTag.of)
        #expect(!tags.contains(tag))
        #expect(Set(tags).count == tags.count)
    }

    /// A value read back from the cache's JSON (the API's own text) tags as the row it came from.
    @Test func aValueRoundTrippedThroughTheWireJSONKeepsItsTag() throws {
        let roundTripped = try WireJSON.decode(ItemPublic.self, from: try WireJSON.encode(Self.item))
        #expect(EntityTag.of(roundTripped) == (EntityTag.of(Self.item)))
    }

    /// The tag is the hash of the very body the route writes.
    @Test func theTagIsTheHashOfTheResponseBody() throws {
        let body = JSONWriter.bytes(of: Self.item)
        let expected = "\"" + Digest.hex(Digest.sha256(body).prefix(16)) + "\""
        #expect(EntityTag.of(Self.item) == expected)
        #expect(String(decoding: body, as: UTF8.self).hasPrefix("{\"title\":\"a title\","))
    }
}
