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

    /// Defaults the server applies, in types it sends and in types it reads: Swift applies each
    /// one while decoding (enum values too) and so always sends it; TypeScript makes it required
    /// only where the client never writes the type (responses), optional where it may.
    static let sentDocument = Snippet.document(
        schemas: """
            Status: {type: string, enum: [open, closed]}
            Note:
              type: object
              properties:
                pinned: {type: boolean, default: false}
                status: {allOf: [{$ref: '#/components/schemas/Status'}], default: open}
                shared: {$ref: '#/components/schemas/Shared'}
                id: {type: string, format: uuid, default: 0A000000-0000-0000-0000-00000000000B}
                at: {type: string, format: date-time, default: '2024-01-02T03:04:05.5+01:00'}
                bad: {type: string, format: uuid, default: not-a-uuid}
                meta: {type: object, additionalProperties: {type: integer}, default: {a: 1}}
            Shared:
              type: object
              properties:
                level: {type: integer, default: 1}
            """,
        paths: """
            /notes:
              get:
                operationId: readNote
                responses:
                  '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Note'}}}}
              put:
                operationId: putShared
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
                responses: {'204': {description: ok}}
            """)

    @Test func defaultsAreRequiredWhereOnlyTheServerSendsThem() {
        let snippet = Snippet(Self.sentDocument)
        #expect(snippet.model.serverSentTypes == ["Note", "Status"])
        expectLines(
            snippet.typeScript,
            [
                "Note: {", "pinned: boolean;", "status: components[\"schemas\"][\"Status\"];",
                "shared?: components[\"schemas\"][\"Shared\"];", "id: string;", "at: string;", "bad?: string;",
                "};", "Shared: {", "level?: number;",
            ])
        expectLines(
            snippet.swift,
            [
                "public struct Note: Codable, Hashable, Sendable {", "public var pinned: Bool", "public var status: Status",
                "public var id: UUID", "public var at: Date", "public var bad: UUID?", "public var meta: [String: Int]?",
                "id: UUID = UUID(uuidString: \"0a000000-0000-0000-0000-00000000000b\")!,",
                "at: Date = Date(timeIntervalSince1970: 1704161045.5),",
                "self.status = container.contains(.status) ? try container.decode(Status.self, forKey: .status) : Status(rawValue: \"open\")!",
                "try container.encode(self.status, forKey: .status)", "public struct Shared: Codable, Hashable, Sendable {",
                "public var level: Int",
            ])
        // A default no decoder can fill in, or that is not a value of its format, is said, not
        // silently dropped.
        for (location, value, name) in [("24:14", "\"not-a-uuid\"", "bad"), ("25:15", "{\"a\":1}", "meta")] {
            #expect(
                snippet.diagnostics.contains {
                    $0.hasPrefix("/snippet/openapi.yaml:\(location): warning: the default \(value) of '\(name)' is not applied")
                }, "\(snippet.diagnostics)")
        }
    }
}
