import Testing

@testable import CodeGen

/// Names are collision-free by construction: operations live in `Operations` under their
/// lowerCamelCase name, which no schema's UpperCamelCase type name can equal, so adding a
/// schema never renames an operation and a schema never shadows one.
@Suite struct NamingSnippetTests {
    static func document(extraSchemas: String) -> String {
        Snippet.document(
            schemas: """
                Item: {type: object, properties: {id: {type: integer}}}
                \(extraSchemas)
                """,
            paths: """
                /items:
                  post:
                    operationId: createItem
                    requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
                    responses:
                      '200':
                        description: ok
                        content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
                """)
    }

    @Test func aSchemaNamedLikeAnOperationRenamesNothing() {
        let before = Snippet(Self.document(extraSchemas: ""))
        let after = Snippet(Self.document(extraSchemas: "CreateItem: {type: object, properties: {note: {type: string}}}"))
        #expect(before.model.operations.map(\.namespace) == ["createItem"])
        #expect(after.model.operations.map(\.namespace) == ["createItem"])
        #expect(after.type("CreateItem") != nil)
        expectLines(
            after.swift,
            [
                "public struct CreateItem: Codable, Hashable, Sendable {",
                "func createItem(_ input: Operations.createItem.Input, context: OperationContext) async throws -> Operations.createItem.Output",
                "extension Operations {",
                "public enum createItem {",
                "case ok(Item)",
                "extension Operations.createItem.Output: ResponseGenerator {",
            ])
    }

    /// Names the runtime or generated code declare get a stable `Schema` suffix.
    @Test func schemasNamedLikeRuntimeTypesGetAStableSuffix() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Date: {type: string}
                    Output: {type: object, properties: {a: {type: string}}}
                    Operations: {type: string}
                    """))
        #expect(snippet.model.types.map(\.name) == ["DateSchema", "OutputSchema", "OperationsSchema"])
    }

    /// A schema named like a type of the runtime (issue 11, item 7): generated code uses
    /// `Pattern` and `Patch` unqualified, and the app sees the runtime's `ValidationError` beside
    /// the generated types, so such a schema gets the suffix too. FastAPI's own `ValidationError`
    /// is the runtime's type and keeps its name.
    @Test func schemasNamedLikeRuntimeTypesAreNotShadowedOrAmbiguous() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    ValidationError: {type: object, properties: {code: {type: string}}}
                    Pattern: {type: string}
                    Patch: {type: object, properties: {op: {type: string}}}
                    Thing:
                      type: object
                      properties:
                        name: {type: string, pattern: '^a'}
                        error: {$ref: '#/components/schemas/ValidationError'}
                    """))
        #expect(snippet.model.types.map(\.name) == ["ValidationErrorSchema", "PatternSchema", "PatchSchema", "Thing"])
        expectLines(
            snippet.swift,
            [
                "public struct ValidationErrorSchema: Codable, Hashable, Sendable {",
                "public struct PatchSchema: Codable, Hashable, Sendable {",
                "public var error: ValidationErrorSchema?",
            ])
        expectNoLine(snippet.swift, containing: "struct ValidationError:")
        let fastAPI = Snippet(
            Snippet.document(
                schemas: """
                    ValidationError:
                      type: object
                      required: [loc, msg, type]
                      properties:
                        loc: {type: array, items: {anyOf: [{type: string}, {type: integer}]}}
                        msg: {type: string}
                        type: {type: string}
                    """))
        #expect(fastAPI.model.types.first?.name == "ValidationError")
    }

    /// An optional property that allows null is written as null when nil (FastAPI's shape);
    /// any other nil optional is left out, since null would break its schema.
    @Test func nilIsWrittenAsNullOnlyWhereTheSchemaAllowsIt() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Token:
                      type: object
                      required: [access_token]
                      properties:
                        access_token: {type: string}
                        refresh_token: {type: string}
                        note: {type: [string, 'null']}
                    """))
        expectLines(
            snippet.swift,
            [
                "enum CodingKeys: String, SchemaCodingKey {",
                "var acceptsNull: Bool { switch self { case .note: true; default: false } }",
            ])
    }

    /// Every named type has its JSON-pointer identity, hoisted ones included.
    @Test func everyNamedTypeHasItsPointer() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Item:
                      type: object
                      properties:
                        tags: {type: array, items: {type: object, properties: {label: {type: string}}}}
                        state: {type: string, enum: [a, b]}
                    """,
                paths: """
                    /items/{id}:
                      post:
                        operationId: tagItem
                        requestBody:
                          content: {application/json: {schema: {type: object, properties: {note: {type: string}}}}}
                        responses: {'204': {description: ok}}
                    """))
        let pointers = Dictionary(uniqueKeysWithValues: snippet.model.types.map { ($0.name, $0.pointer ?? "-") })
        #expect(
            pointers == [
                "Item": "#/components/schemas/Item",
                "ItemTagsItem": "#/components/schemas/Item/properties/tags/items",
                "ItemState": "#/components/schemas/Item/properties/state",
                "TagItemRequest": "#/paths/~1items~1{id}/post/requestBody/content/application~1json/schema",
            ])
    }
}
