import Testing

@testable import CodeGen

/// Defaults and partial updates: a default is applied while decoding, so the field is never
/// optional; a PATCH body keeps an absent field, `null` and a value apart.
@Suite struct PartialUpdateSnippetTests {
    static let document = Snippet.document(
        schemas: """
            NoteCreate:
              type: object
              required: [title]
              properties:
                title: {type: string}
                pinned: {type: boolean, default: false}
                tags: {type: array, items: {type: string}, default: []}
                color: {type: string, default: null}
            NotePatch:
              type: object
              properties:
                title: {type: string}
                pinned: {type: boolean, default: false}
                body: {type: [string, 'null'], maxLength: 10}
            NoteReplace:
              x-patch: true
              type: object
              properties:
                body: {type: [string, 'null']}
            """,
        paths: """
            /notes:
              post:
                operationId: createNote
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NoteCreate'}}}}
                responses: {'204': {description: ok}}
              patch:
                operationId: patchNote
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NotePatch'}}}}
                responses: {'204': {description: ok}}
              put:
                operationId: replaceNote
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NoteReplace'}}}}
                responses: {'204': {description: ok}}
            """)

    @Test func theModelMarksDefaultsAndPatchFields() throws {
        let model = Snippet(Self.document).model
        guard case .object(let create)? = model.type(named: "NoteCreate")?.kind,
            case .object(let patch)? = model.type(named: "NotePatch")?.kind,
            case .object(let replace)? = model.type(named: "NoteReplace")?.kind
        else {
            Issue.record("the three are not objects")
            return
        }
        #expect(create.properties.map(\.appliesDefault) == [false, true, true, false])
        #expect(create.properties.map(\.isPatch) == [false, false, false, false])
        // In a PATCH body no default is applied; only the nullable optional field is three-state.
        #expect(patch.properties.map(\.appliesDefault) == [false, false, false])
        #expect(patch.properties.map(\.isPatch) == [false, false, true])
        #expect(replace.properties.map(\.isPatch) == [true])
    }

    @Test func defaultsAreNonOptionalAndAppliedByBothDecoders() {
        expectLines(
            Snippet(Self.document).swift,
            [
                "public struct NoteCreate: Codable, Hashable, Sendable {",
                "public var pinned: Bool",
                "public var tags: [String]",
                "public var color: String?",
                "pinned: Bool = false,",
                "tags: [String] = [],",
                "self.pinned = container.contains(.pinned) ? try container.decode(Bool.self, forKey: .pinned) : false",
                "try container.encode(self.pinned, forKey: .pinned)",
                "let _pinned = errors.field(Bool.self, \"pinned\", in: object, at: path) ?? false",
            ])
    }

    @Test func patchFieldsAreThreeState() {
        expectLines(
            Snippet(Self.document).swift,
            [
                "public struct NotePatch: Codable, Hashable, Sendable {",
                "public var title: String?",
                "public var pinned: Bool?",
                "public var body: Patch<String>",
                "body: Patch<String> = .absent",
                "self.body = try container.decodePatch(String.self, forKey: .body)",
                "try container.encodePatch(self.body, forKey: .body)",
                "let _pinned = errors.field(Bool.self, \"pinned\", in: object, at: path)",
                "let _body = errors.patchField(String.self, \"body\", in: object, at: path, rules: Self.bodyRules)",
            ])
    }
}
