import API
import Foundation
import Testing

@testable import App

/// Entity tags come from the value's fields (`DigestEncoder`): equal values share a tag, any
/// change to what the client would read changes it, and nesting cannot make two values collide.
@Suite("Entity tags")
struct EntityTagTests {
    static let owner = UUID(uuidString: "6fa858d5-30e6-4257-aa11-6db9d818af91")!
    static let item = ItemPublic(
        title: "a title", description: "words", id: UUID(uuidString: "fff3b74d-8b5c-44f9-a87d-b6d9a3aa6e9e")!, ownerId: owner,
        createdAt: Date(timeIntervalSince1970: 1_765_000_000.123456))

    @Test func equalValuesShareATagAndItIsStrongAndQuoted() throws {
        let tag = try EntityTag.of(Self.item)
        #expect(tag == (try EntityTag.of(Self.item)))
        #expect(tag.count == 34 && tag.hasPrefix("\"") && tag.hasSuffix("\""))
    }

    @Test func everyFieldTheClientReadsChangesTheTag() throws {
        let tag = try EntityTag.of(Self.item)
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
        let tags = try changed.map(EntityTag.of)
        #expect(!tags.contains(tag))
        #expect(Set(tags).count == tags.count)
    }

    /// A value read back from the cache's JSON (the API's own text) tags as the row it came from.
    @Test func aValueRoundTrippedThroughTheWireJSONKeepsItsTag() throws {
        let roundTripped = try WireJSON.decode(ItemPublic.self, from: try WireJSON.encode(Self.item))
        #expect(try EntityTag.of(roundTripped) == (try EntityTag.of(Self.item)))
    }

    struct Pair: Encodable {
        var first: [String: Int]
        var second: Int?
    }

    /// A key of an inner value never passes for a key of the outer one, and text lengths keep
    /// `"ab" + "c"` apart from `"a" + "bc"`.
    @Test func nestingAndLengthsCannotCollide() throws {
        let a = try DigestEncoder.bytes(of: Pair(first: ["x": 1, "second": 2], second: nil))
        let b = try DigestEncoder.bytes(of: Pair(first: ["x": 1], second: 2))
        #expect(a != b)
        #expect(try DigestEncoder.bytes(of: ["ab", "c"]) != (try DigestEncoder.bytes(of: ["a", "bc"])))
        #expect(try DigestEncoder.bytes(of: [1, 2]) != (try DigestEncoder.bytes(of: [[1], [2]])))
    }

    struct HandWritten: Encodable {
        var inner: Int
        var outer: Int
        enum Keys: CodingKey { case a, b, c }

        /// Fills its nested container after a later key, as `Encoder` allows.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .a)
            try container.encode(outer, forKey: .c)
            try nested.encode(inner, forKey: .b)
        }
    }

    @Test func nestedContainersFilledLateStayInside() throws {
        #expect(
            try DigestEncoder.bytes(of: HandWritten(inner: 1, outer: 2)) != (try DigestEncoder.bytes(of: HandWritten(inner: 2, outer: 1))))
        #expect(
            try DigestEncoder.bytes(of: HandWritten(inner: 1, outer: 2)) == (try DigestEncoder.bytes(of: HandWritten(inner: 1, outer: 2))))
    }
}
