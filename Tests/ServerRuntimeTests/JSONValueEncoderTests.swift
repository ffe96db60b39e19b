import Foundation
import ServerRuntime
import Testing

@Suite("Response encoding")
struct JSONValueEncoderTests {
    @Test func pydanticConventions() throws {
        let item = ItemPublic(
            title: "a/b",
            description: nil,
            id: UUID(uuidString: "1B4E28BA-2FA1-11D2-883F-0016D3CCA427")!,
            ownerId: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!,
            createdAt: Date(timeIntervalSince1970: 0)
        )
        let text = try JSONValueEncoder().encode(ItemsPublic(data: [item], count: 1)).description
        #expect(
            text
                == #"{"data":[{"title":"a/b","description":null,"id":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","owner_id":"00000000-0000-0000-0000-000000000001","created_at":"1970-01-01T00:00:00Z"}],"count":1}"#
        )
    }

    /// The types written differently from their `Codable` form, found wherever they stand: at
    /// the top, in a keyed container, in an array, and not confused with look-alikes.
    @Test func specialTypesAnywhere() throws {
        struct Holder: Encodable {
            var id: UUID
            var at: Date
            var link: URL
            var raw: JSONValue
            var object: JSONObject
            var ids: [UUID]
            var notAUUID: String
        }
        let id = UUID(uuidString: "1B4E28BA-2FA1-11D2-883F-0016D3CCA427")!
        let holder = Holder(
            id: id, at: Date(timeIntervalSince1970: 1.5), link: URL(string: "https://example.com/a/b")!,
            raw: ["k": [1, true]], object: JSONObject([.init(key: "z", value: 1)]), ids: [id], notAUUID: "X")
        #expect(
            try JSONValueEncoder().encode(holder).description
                == #"{"id":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","at":"1970-01-01T00:00:01.500000Z","link":"https://example.com/a/b","raw":{"k":[1,true]},"object":{"z":1},"ids":["1b4e28ba-2fa1-11d2-883f-0016d3cca427"],"notAUUID":"X"}"#
        )
        #expect(try JSONValueEncoder().encode(id) == "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    }

    @Test func validationErrorsRoundTripThroughCodable() throws {
        var errors = ValidationErrors()
        errors.record(.stringTooShort(minimum: 1), at: ["body", "title"], input: "")
        let data = try JSONEncoder().encode(errors)
        let decoded = try JSONDecoder().decode(HTTPValidationError.self, from: data)
        #expect(decoded == errors)
        #expect(
            errors.description
                == #"{"detail":[{"type":"string_too_short","loc":["body","title"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}}]}"#
        )
    }

    /// FastAPI's schema does not require `detail`: a body without it is written back without it
    /// (the conformance harness found `{}` coming back as `{"detail": []}`), and one with an
    /// empty list keeps it.
    /// Every standard integer size and `Float`, in a keyed container, in an array and alone:
    /// the sizes a single value container does not write out itself used to come back to the
    /// encoder for ever (`[Int8]` overflowed the stack).
    @Test func everyIntegerSizeAnywhere() throws {
        struct Sizes: Codable, Equatable {
            var i8: Int8, i16: Int16, i32: Int32, i64: Int64, u: UInt, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64, f: Float
        }
        let sizes = Sizes(i8: -1, i16: -2, i32: -3, i64: -4, u: 5, u8: 6, u16: 7, u32: 8, u64: 9, f: 0.5)
        #expect(
            try JSONValueEncoder().encode(sizes).description
                == #"{"i8":-1,"i16":-2,"i32":-3,"i64":-4,"u":5,"u8":6,"u16":7,"u32":8,"u64":9,"f":0.5}"#)
        #expect(try JSONValueEncoder().encode([Int8(-8), 16]).description == "[-8,16]")
        #expect(try JSONValueEncoder().encode([UInt8(1)]).description == "[1]")
        #expect(try JSONValueEncoder().encode([[UInt16(1)], [UInt32(2)].map(UInt16.init)]).description == "[[1],[2]]")
        #expect(try JSONValueEncoder().encode(UInt64.max) == .double(Double(UInt64.max)))
        #expect(try JSONValueEncoder().encode([Float(1.5)]).description == "[1.5]")
        #expect(try JSONValueEncoder().encode(Int16(-7)) == .integer(-7))
        #expect(try JSONValueDecoder().decode(Sizes.self, from: try JSONValueEncoder().encode(sizes)) == sizes)
        #expect(try JSONValueDecoder().decode([Int8].self, from: [-8, 16]) == [-8, 16])
        #expect(throws: (any Error).self) { try JSONValueDecoder().decode([UInt8].self, from: [300]) }
        #expect(throws: (any Error).self) { try JSONValueDecoder().decode(UInt16.self, from: -1) }
    }

    @Test func anAbsentDetailStaysAbsent() throws {
        let absent = try JSONValueDecoder().decode(HTTPValidationError.self, from: .object([:]))
        #expect(try JSONValueEncoder().encode(absent) == .object([:]))
        let empty = try JSONValueDecoder().decode(HTTPValidationError.self, from: ["detail": []])
        #expect(try JSONValueEncoder().encode(empty) == ["detail": []])
        #expect(absent == empty)
    }
}

@Suite("Decoding Codable types from a JSONValue")
struct JSONValueDecoderTests {
    struct Pet: DecodableSchemaValue, Equatable {
        enum Kind: String, Decodable { case cat, dog }
        var id: UUID
        var kind: Kind
        var born: Date?
        var tags: [String]
        var age: Int
    }

    @Test func decodesWithoutReparsing() throws {
        let json: JSONValue = [
            "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "kind": "cat", "born": "2024-01-02T03:04:05Z", "tags": ["a"], "age": 3.0,
        ]
        let pet = try JSONValueDecoder().decode(Pet.self, from: json)
        #expect(
            pet
                == Pet(
                    id: UUID(uuidString: "1b4e28ba-2fa1-11d2-883f-0016d3cca427")!, kind: .cat,
                    born: Date(timeIntervalSince1970: 1_704_164_645), tags: ["a"], age: 3))
    }

    @Test func decodingErrorsBecomeValidationErrors() {
        var errors = ValidationErrors()
        let pet = Pet.decode(
            ["id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "kind": "cat", "tags": ["a", 1], "age": 1], at: FieldLocation(.body, "pet"),
            errors: &errors)
        #expect(pet == nil)
        #expect(errors.errors.first?.loc == ["body", "pet", "tags", 1])
        errors = ValidationErrors()
        _ = Pet.decode(["kind": "cat"], at: FieldLocation(.body), errors: &errors)
        #expect(errors.errors.first?.loc == ["body", "id"])
        #expect(errors.errors.first?.type == "missing")
    }
}
