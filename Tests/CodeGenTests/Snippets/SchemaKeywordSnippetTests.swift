import Testing

@testable import CodeGen

/// JSON Schema keywords the model reads once for every emitter: tuples (`prefixItems`,
/// `items: false`), boolean schemas, titles and enum documentation.
@Suite struct SchemaKeywordSnippetTests {
    /// A request body of `Body`, so the server's validator is generated for it.
    static func document(schemas: String) -> String {
        Snippet.document(
            schemas: schemas,
            paths: """
                /things:
                  post:
                    operationId: createThing
                    requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Body'}}}}
                    responses: {'204': {description: done}}
                """)
    }

    /// `prefixItems` is a tuple: TypeScript types each position, those past `minItems` optional,
    /// with an `unknown` rest unless `items: false` closes it. Swift holds JSON values and its
    /// validator reads each position and the rest as its own type, named types included.
    /// `items: false` bounds the length too.
    @Test func prefixItemsAreTuples() {
        let snippet = Snippet(
            Self.document(
                schemas: """
                    Point:
                      type: array
                      prefixItems: [{type: number}, {type: string}]
                      minItems: 1
                    Body:
                      type: object
                      properties:
                        pair: {type: array, prefixItems: [{type: string, minLength: 2}, {type: [integer, 'null']}], items: false}
                        rest: {type: array, prefixItems: [{type: integer}], items: {type: string}}
                        empty: {type: array, items: false}
                        same: {type: array, prefixItems: [{type: string}], items: {type: string}}
                        named: {type: array, prefixItems: [{type: object, properties: {a: {type: string}}}]}
                        point: {$ref: '#/components/schemas/Point'}
                    """))
        expectLines(snippet.typeScript, ["Point: [", "number,", "string?,", "...unknown[]", "];"])
        expectLines(
            snippet.typeScript,
            [
                "pair?: [", "string?,", "(number | null)?", "];", "rest?: [", "number?,", "...string[]", "];", "empty?: [];",
                "same?: string[];",
            ])
        expectLines(
            snippet.swift,
            [
                "public typealias Point = [JSONValue]", "public var pair: [JSONValue]?", "public var same: [String]?",
                "static let pairRules = ArrayRules<JSONValue>(maxItems: 2, prefixItems: [PositionRule(String.self, rules: StringRules(minLength: 2)), PositionRule(Int.self, nullable: true)])",
                "static let restRules = ArrayRules<JSONValue>(prefixItems: [PositionRule(Int.self)], additionalItems: PositionRule(String.self))",
                "static let emptyRules = ArrayRules<JSONValue>(maxItems: 0)",
                "static let pointRules = ArrayRules<JSONValue>(minItems: 1, prefixItems: [PositionRule(Double.self), PositionRule(String.self)])",
            ])
        // A position of a named type is read by that type's own validator, generated because the
        // tuple leads to it.
        expectLines(
            snippet.swift,
            [
                "static let namedRules = ArrayRules<JSONValue>(prefixItems: [PositionRule(BodyNamedItem1.self)])",
                "extension BodyNamedItem1: SchemaModel {",
            ])
        #expect(snippet.diagnostics.filter { $0.contains("'prefixItems'") } == [], "\(snippet.diagnostics)")
    }

    /// A property whose schema is `false` can never be present: TypeScript types it `never`,
    /// Swift has no stored property for it and the validator refuses it. A `false` variant is
    /// no variant; `false` anywhere else is a warning, never silence.
    @Test func falseSchemas() throws {
        let snippet = Snippet(
            Self.document(
                schemas: """
                    Body:
                      type: object
                      properties:
                        name: {type: string}
                        legacy: false
                        anything: true
                        closed: {type: object, additionalProperties: false, properties: {a: {type: string}}}
                        empty: {type: object, additionalProperties: false}
                    Choice:
                      oneOf: [false, {type: string}]
                    Nothing: false
                    """))
        expectLines(
            snippet.typeScript,
            [
                "Body: {", "name?: string;", "anything?: unknown;", "closed?: {", "a?: string;", "};",
                "empty?: Record<string, never>;", "legacy?: never;", "};",
            ])
        // `true` is any value; `additionalProperties: false` was already refused key by key.
        expectLines(
            snippet.swift,
            [
                "public var anything: JSONValue?", "errors.forbidFields(object, [\"legacy\"], at: path)",
                "errors.forbidExtraFields(object, allowed: [\"a\"], at: path)",
            ])
        expectNoLine(snippet.swift, containing: "var legacy")
        let body = try #require(snippet.type("Body"))
        guard case .object(let shape) = body.kind else {
            Issue.record("Body is not an object")
            return
        }
        #expect(shape.properties.map(\.jsonName) == ["name", "anything", "closed", "empty"])
        #expect(shape.forbiddenProperties == ["legacy"])
        guard case .union(let choice)? = snippet.type("Choice")?.kind else {
            Issue.record("Choice is not a union")
            return
        }
        #expect(choice.variants.map(\.type) == [.primitive(.string)])
        #expect(
            snippet.diagnostics.contains(
                "/snippet/openapi.yaml:21:14: warning: the schema 'false' accepts no value, but the generated types accept any value here"),
            "\(snippet.diagnostics)")
    }

    /// `title`, `description` and an enum's values are documented in TypeScript from the model:
    /// openapi-typescript's `@enum {type}`, then a line per value from `x-enum-descriptions` (or
    /// the names of `x-enumNames`).
    @Test func titlesAndEnumDocumentation() {
        let snippet = Snippet(
            Self.document(
                schemas: """
                    Status:
                      title: Item status
                      description: Where an item stands.
                      type: string
                      enum: [active, archived]
                      x-enum-descriptions: [Shown to everyone., Hidden from lists.]
                    Body:
                      type: object
                      properties:
                        kind: {type: string, title: Kind, enum: [a, b], x-enumNames: [Alpha, Beta]}
                        level: {type: integer, enum: [1, 2], x-enum-descriptions: {'1': Low}}
                    """))
        #expect(snippet.type("Status")?.title == "Item status")
        #expect(snippet.type("Status")?.valueDescriptions == ["active": "Shown to everyone.", "archived": "Hidden from lists."])
        expectLines(
            snippet.typeScript,
            [
                "/**", "* Item status", "* @description Where an item stands.", "* @enum {string}",
                "* - `\"active\"`: Shown to everyone.", "* - `\"archived\"`: Hidden from lists.", "*/",
                "Status: \"active\" | \"archived\";",
            ])
        expectLines(
            snippet.typeScript,
            [
                "* Kind", "* @enum {string}", "* - `\"a\"`: Alpha", "* - `\"b\"`: Beta", "*/", "kind?: \"a\" | \"b\";",
                "* @enum {integer}", "* - `1`: Low", "*/", "level?: 1 | 2;",
            ])
        // Swift documents the same cases from the same model.
        expectLines(
            snippet.swift,
            [
                "public enum Status: String, Codable, Hashable, Sendable, CaseIterable {", "/// Shown to everyone.",
                "case active", "/// Hidden from lists.", "case archived",
            ])
    }
}
