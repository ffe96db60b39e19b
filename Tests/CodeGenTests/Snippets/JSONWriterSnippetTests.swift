import Testing

@testable import CodeGen

/// The direct JSON writers (`writeJSON(to:)`): which types get one, and that each property is
/// written as the generated `encode(to:)` and the runtime's encoder write it. The conformance
/// harness compares the two byte for byte on generated instances; these pin the decisions.
@Suite struct JSONWriterSnippetTests {
    static let shapes = Snippet.document(
        schemas: """
            Item:
              type: object
              required: [id, title, note]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                note: {type: [string, "null"]}
                summary: {type: [string, "null"]}
                rank: {type: integer}
                at: {type: string, format: date-time}
                tags: {type: array, items: {type: [string, "null"]}}
                scores: {type: object, additionalProperties: {type: number, format: float}}
                "say \\"hi\\"\\\\": {type: boolean}
                child: {$ref: '#/components/schemas/Item'}
            Open:
              type: object
              properties:
                name: {type: string}
              additionalProperties: {type: integer}
            Blob:
              type: object
              properties:
                data: {type: string, format: byte}
            HoldsBlob:
              type: object
              properties:
                blob: {$ref: '#/components/schemas/Blob'}
            Empty:
              type: object
              additionalProperties: false
            """)

    @Test func propertiesAreWrittenInOrderWithNullWhereTheEncoderWritesIt() {
        expectLines(
            Snippet(Self.shapes).swift,
            [
                "extension Item: JSONBodyWritable {",
                "public func writeJSON(to writer: inout JSONWriter) {",
                "writer.writeKey(\"\\\"id\\\":\", first: &first)",
                "writer.write(uuid: self.id)",
                "writer.writeKey(\"\\\"title\\\":\", first: &first)",
                "writer.write(string: self.title)",
                // Required and nullable: the key always, null when nil.
                "writer.writeKey(\"\\\"note\\\":\", first: &first)",
                "if let value = self.note {",
                "} else {",
                "writer.writeNull()",
                // Optional and nullable: FastAPI writes its None as null.
                "writer.writeKey(\"\\\"summary\\\":\", first: &first)",
                // Optional, not nullable: left out when nil.
                "if let value2 = self.rank {",
                "writer.writeKey(\"\\\"rank\\\":\", first: &first)",
                "writer.write(integer: value2)",
                "writer.write(date: value3)",
                "writer.writeArray(value4) { writer, element in",
                "if let value5 = element {",
                "writer.writeObject(value6) { writer, member in",
                "writer.write(double: Double(member))",
                // The key as JSON text inside a Swift literal.
                "writer.writeKey(\"\\\"say \\\\\\\"hi\\\\\\\"\\\\\\\\\\\":\", first: &first)",
                "value8.writeJSON(to: &writer)",
            ])
    }

    @Test func typesWhoseJSONIsNotFixedByTheirPropertiesKeepTheEncoder() {
        let swift = Snippet(Self.shapes).swift
        expectNoLine(swift, containing: "extension Open: JSONBodyWritable")
        expectNoLine(swift, containing: "extension Blob: JSONBodyWritable")
        // A property of a type without a writer takes its type's way.
        expectNoLine(swift, containing: "extension HoldsBlob: JSONBodyWritable")
        expectLines(swift, ["extension Empty: JSONBodyWritable {", "writer.writeRaw(\"{}\")"])
    }

    /// A PATCH body's three-state fields (`Patch`) keep the encoder; a defaulted property is
    /// written always, as the generated `encode(to:)` does with its default applied.
    @Test func partialUpdatesKeepTheEncoderAndDefaultsAreAlwaysWritten() {
        let swift = Snippet(PartialUpdateSnippetTests.document).swift
        expectLines(swift, ["public var body: Patch<String>"])
        expectNoLine(swift, containing: "extension NotePatch: JSONBodyWritable")
        expectNoLine(swift, containing: "extension NoteReplace: JSONBodyWritable")
        expectLines(
            swift,
            [
                "extension NoteCreate: JSONBodyWritable {",
                "writer.writeKey(\"\\\"pinned\\\":\", first: &first)",
                "writer.write(bool: self.pinned)",
                "writer.writeKey(\"\\\"tags\\\":\", first: &first)",
                "writer.writeArray(self.tags) { writer, element in",
            ])
    }

    static let scalarUnion = Snippet.document(
        schemas: """
            IdOrWhen:
              oneOf:
                - {type: string, format: uuid}
                - {type: string, format: date-time}
                - {$ref: '#/components/schemas/Pet'}
            Pet:
              type: object
              properties:
                name: {type: string}
            """)

    /// A scalar variant goes through a single value container, where the runtime's coders give
    /// UUIDs and dates their JSON form; `Date(from: decoder)` read a number, and
    /// `UUID.encode(to:)` wrote uppercase. A model variant still gets the decoder itself.
    @Test func unionScalarsGoThroughASingleValueContainer() {
        expectLines(
            Snippet(Self.scalarUnion).swift,
            [
                "if let value = try? decoder.singleValueContainer().decode(UUID.self) { self = .uuid(value); return }",
                "if let value = try? decoder.singleValueContainer().decode(Date.self) { self = .dateTime(value); return }",
                "if let value = try? Pet(from: decoder) { self = .pet(value); return }",
                "case .uuid(let value): var container = encoder.singleValueContainer(); try container.encode(value)",
                "case .pet(let value): try value.encode(to: encoder)",
                "extension IdOrWhen: JSONBodyWritable {",
                "case .uuid(let value):",
                "writer.write(uuid: value)",
                "case .dateTime(let value):",
                "writer.write(date: value)",
                "case .pet(let value):",
                "value.writeJSON(to: &writer)",
            ])
    }

    @Test func keysAreEscapedAsTheWriterEscapesStrings() {
        #expect(JSONWriterEmitter.escapedKey("owner_id") == "\"owner_id\":")
        #expect(JSONWriterEmitter.escapedKey("a\"b\\c") == "\"a\\\"b\\\\c\":")
        #expect(JSONWriterEmitter.escapedKey("tab\there\u{01}") == "\"tab\\there\\u0001\":")
        #expect(JSONWriterEmitter.escapedKey("é") == "\"é\":")
    }
}
