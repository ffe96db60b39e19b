import Testing

@testable import CodeGen

/// What the conformance harness (`scripts/conformance.py`) found: each test states one construct
/// where the generated validator, `Codable` or the TypeScript type disagreed with JSON Schema.
@Suite struct ConformanceSnippetTests {
    /// A named alias's constraints hold wherever it is used: as a property, an array's item, a
    /// union's variant. They were dropped, so `""` passed for a `minLength: 1` name.
    static let aliases = Snippet.document(
        schemas: """
            Name: {type: string, minLength: 1, maxLength: 5}
            Names: {type: array, items: {$ref: '#/components/schemas/Name'}, maxItems: 3}
            Count: {type: integer, minimum: 0}
            Pet:
              type: object
              required: [name]
              properties:
                name: {$ref: '#/components/schemas/Name'}
                aliases: {$ref: '#/components/schemas/Names'}
                nick: {allOf: [{$ref: '#/components/schemas/Name'}], maxLength: 3}
                count: {$ref: '#/components/schemas/Count'}
            """,
        paths: """
            /pets:
              post:
                operationId: createPet
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
                responses: {'204': {description: ok}}
            """)

    @Test func aliasConstraintsAreCheckedWhereTheAliasIsUsed() {
        expectLines(
            Snippet(Self.aliases).swift,
            [
                "extension Pet: SchemaModel {",
                "static let nameRules = StringRules(minLength: 1, maxLength: 5)",
                "static let aliasesRules = ArrayRules<Name>(maxItems: 3, items: StringRules(minLength: 1, maxLength: 5))",
                // The use site's own bound wins over the alias's.
                "static let nickRules = StringRules(minLength: 1, maxLength: 3)",
                "static let countRules = NumberRules<Int>(minimum: 0)",
            ])
    }

    @Test func theModelSeesThroughAliases() {
        let model = Snippet(Self.aliases).model
        let (type, constraints) = model.resolvingAliases(.nullable(.named("Names")), Constraints())
        #expect(type == .nullable(.array(.named("Name"))))
        #expect(constraints.maxItems == 3)
    }

    /// The harness's entry points: every component schema, an alias with its own rules.
    @Test func conformanceEntryPointsListEveryComponent() {
        let snippet = Snippet(Self.aliases)
        let files = SwiftEmitter(conformanceEntryPoints: true).emit(snippet.model)
        let text = files.first { $0.path == "Swift/Conformance.swift" }?.contents ?? ""
        expectLines(
            text,
            [
                "\"Name\": ConformanceEntry(Name.self, rules: StringRules(minLength: 1, maxLength: 5)),",
                "\"Names\": ConformanceEntry(Names.self, rules: ArrayRules<Name>(maxItems: 3, items: StringRules(minLength: 1, maxLength: 5))),",
                "\"Pet\": ConformanceEntry(Pet.self),",
            ])
        // Without the option nothing changes.
        #expect(!SwiftEmitter().emit(snippet.model).contains { $0.path == "Swift/Conformance.swift" })
    }
}

extension ConformanceSnippetTests {
    /// `allOf` whose members all describe one string: a string with every member's rules, not an
    /// object (a valid `"AB"` was refused with "Input should be a valid dictionary").
    @Test func allOfOfScalarsIsAScalar() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Code: {type: string, minLength: 2}
                    ShortCode:
                      allOf:
                        - $ref: '#/components/schemas/Code'
                        - maxLength: 4
                    Described:
                      allOf: [{$ref: '#/components/schemas/Code'}]
                      maxLength: 9
                    Typed:
                      type: string
                      allOf: [{minLength: 1}, {maxLength: 3}]
                    Holder:
                      type: object
                      properties:
                        code:
                          allOf: [{type: string}, {pattern: '^[A-Z]+$'}]
                    """,
                paths: """
                    /codes:
                      post:
                        operationId: createCode
                        requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}
                        responses: {'204': {description: ok}}
                    """))
        guard case .alias(let type, let constraints)? = snippet.type("ShortCode")?.kind else {
            Issue.record("ShortCode is not an alias: \(String(describing: snippet.type("ShortCode")?.kind))")
            return
        }
        #expect(type == .named("Code"))
        #expect(constraints.maxLength == 4)
        guard case .alias(_, let described)? = snippet.type("Described")?.kind else {
            Issue.record("Described is not an alias")
            return
        }
        #expect(described.maxLength == 9)
        guard case .alias(.primitive(.string), let typed)? = snippet.type("Typed")?.kind else {
            Issue.record("Typed is not a string: \(String(describing: snippet.type("Typed")?.kind))")
            return
        }
        #expect(typed.minLength == 1 && typed.maxLength == 3)
        expectLines(
            snippet.swift, ["public typealias ShortCode = Code", "static let codeRules = StringRules(pattern: Pattern(\"^[A-Z]+$\"))"])
    }
}

extension ConformanceSnippetTests {
    /// `required` names no property declares must still be present (box's token revocation
    /// request requires an undeclared `grant_type`); and `allOf` of annotations alone is any
    /// value, `null` too (box's generic event source).
    @Test func undeclaredRequiredNamesAndAnnotationOnlyAllOf() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Revoke:
                      type: object
                      required: [grant_type]
                      properties:
                        token: {type: string}
                    Source:
                      type: object
                      additionalProperties:
                        allOf: [{}, {description: any value}]
                    """))
        guard case .object(let revoke)? = snippet.type("Revoke")?.kind,
            case .alias(.dictionary(let value), _)? = snippet.type("Source")?.kind
        else {
            Issue.record("Revoke is not an object or Source not a map")
            return
        }
        #expect(revoke.properties.map(\.jsonName) == ["token", "grant_type"])
        #expect(revoke.properties.last?.required == true)
        #expect(revoke.properties.last?.type == .any)
        #expect(value == .any)
    }
}

extension ConformanceSnippetTests {
    /// `type: object` beside a `oneOf` of nullable components is not nullable: the type excludes
    /// `null` (box's `Resource`: a scope without its object came back with `"object": null`).
    @Test func aTypeWithoutNullExcludesNullFromAlternatives() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Mini: {type: object, nullable: true, properties: {id: {type: string}}}
                    Resource:
                      type: object
                      oneOf: [{$ref: '#/components/schemas/Mini'}]
                    Loose:
                      oneOf: [{$ref: '#/components/schemas/Mini'}]
                    Scope:
                      type: object
                      properties:
                        object: {$ref: '#/components/schemas/Resource'}
                        loose: {$ref: '#/components/schemas/Loose'}
                    """, version: "3.0.3"))
        guard case .object(let scope)? = snippet.type("Scope")?.kind else {
            Issue.record("Scope is not an object")
            return
        }
        #expect(scope.properties.map(\.type.isNullable) == [false, true])
    }
}

extension ConformanceSnippetTests {
    /// `allOf: [{$ref: X}, {description: …}]` is X, nullable when X is (box's
    /// `FileVersionRetention.file` refused null and was a wrapper struct of its own).
    @Test func allOfWithAnAnnotationMemberIsItsOtherMember() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Mini: {type: object, nullable: true, properties: {id: {type: string}}}
                    Retention:
                      type: object
                      properties:
                        file:
                          allOf: [{$ref: '#/components/schemas/Mini'}, {description: The file.}]
                    """, version: "3.0.3"))
        guard case .object(let retention)? = snippet.type("Retention")?.kind else {
            Issue.record("Retention is not an object")
            return
        }
        #expect(retention.properties.first?.type == .nullable(.named("Mini")))
        #expect(snippet.type("RetentionFile") == nil)
    }
}
