import Testing

@testable import CodeGen

/// Unions, discriminators and type arrays: each decided once in the model, and the Swift
/// `Codable` decoder, the server's validator and the TypeScript type agree on them.
@Suite struct UnionSnippetTests {
    /// Variants whose discriminator property is a one-value `enum` or a `const`, no `mapping`.
    static let implicitDiscriminator = Snippet.document(
        schemas: """
            Tool:
              oneOf:
                - $ref: '#/components/schemas/FunctionTool'
                - $ref: '#/components/schemas/FileSearch'
                - $ref: '#/components/schemas/Named'
              discriminator: {propertyName: type}
            FunctionTool:
              type: object
              required: [type, name]
              properties:
                type: {type: string, enum: [function]}
                name: {type: string}
            FileSearch:
              type: object
              required: [type]
              properties:
                type: {const: file_search}
            Named:
              type: object
              required: [type]
              properties:
                type: {type: string}
            """)

    @Test func implicitMappingTakesTheVariantsOwnValueElseTheSchemaName() throws {
        let snippet = Snippet(Self.implicitDiscriminator)
        guard case .union(let shape)? = snippet.type("Tool")?.kind else {
            Issue.record("Tool is not a union: \(String(describing: snippet.type("Tool")))")
            return
        }
        #expect(shape.discriminator == "type")
        #expect(shape.variants.map(\.discriminatorValues) == [["function"], ["file_search"], ["Named"]])
    }

    @Test func swiftDecoderDispatchesOnTheWireValues() {
        expectLines(
            Snippet(Self.implicitDiscriminator).swift,
            [
                "public indirect enum Tool: Codable, Hashable, Sendable {",
                "switch value {",
                "case \"function\": self = .functionTool(try FunctionTool(from: decoder))",
                "case \"file_search\": self = .fileSearch(try FileSearch(from: decoder))",
                "case \"Named\": self = .named(try Named(from: decoder))",
            ])
    }

    @Test func typeScriptKeepsTheVariantsOwnLiteral() {
        let typeScript = Snippet(Self.implicitDiscriminator).typeScript
        expectLines(typeScript, ["FunctionTool: {", "type: \"function\";"])
        expectNoLine(typeScript, containing: "type: \"FunctionTool\"")
        expectNoLine(typeScript, containing: "type: \"FileSearch\"")
    }

    @Test func explicitMappingWins() throws {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Pet:
                      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
                      discriminator:
                        propertyName: kind
                        mapping: {kitty: '#/components/schemas/Cat', cat: '#/components/schemas/Cat'}
                    Cat: {type: object, properties: {kind: {type: string, enum: [feline]}}}
                    Dog: {type: object, properties: {kind: {type: string}}}
                    """))
        guard case .union(let shape)? = snippet.type("Pet")?.kind else {
            Issue.record("Pet is not a union")
            return
        }
        #expect(shape.variants.map(\.discriminatorValues) == [["kitty", "cat"], ["Dog"]])
    }

    @Test func inlineVariantWithoutAValueIsWarnedAbout() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Shape:
                      oneOf:
                        - {type: object, properties: {kind: {type: string}}}
                        - {type: object, properties: {kind: {const: square}}}
                      discriminator: {propertyName: kind}
                    """))
        let warnings = snippet.diagnostics.filter { $0.contains("warning") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.hasPrefix("/snippet/openapi.yaml:8:11: warning: variant 1 of 'Shape'") == true, "\(warnings)")
    }

    /// The server's validator reads a tagged union by its tag, as `Codable` does, instead of
    /// taking the first variant that happens to validate.
    @Test func serverValidatorDispatchesOnTheDiscriminator() {
        let snippet = Snippet(
            Snippet.document(
                schemas: Self.implicitDiscriminatorSchemas,
                paths: """
                    /tools:
                      post:
                        operationId: addTool
                        requestBody:
                          required: true
                          content: {application/json: {schema: {$ref: '#/components/schemas/Tool'}}}
                        responses: {'204': {description: added}}
                    """))
        expectLines(
            snippet.swift,
            [
                "extension Tool: SchemaValue {",
                "guard let object = errors.object(value, at: location) else { return nil }",
                "guard case .string(let tag)? = object[\"type\"] else {",
                "errors.record(.unionTagNotFound(\"type\"), at: location, input: value)",
                "switch tag {",
                "case \"function\": return FunctionTool.decode(value, at: location, errors: &errors).map { .functionTool($0) }",
                "errors.record(.unionTagInvalid(\"type\", tag: tag, expected: \"'function', 'file_search', 'Named'\"), at: location, input: value)",
            ])
    }

    static var implicitDiscriminatorSchemas: String {
        let text = implicitDiscriminator
        let start = text.range(of: "  schemas:\n")!.upperBound
        return text[start...].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
    }

    /// `type: [array, boolean, string]` is a union of three, not an optional array.
    @Test func typeArrayIsAUnionOfEachType() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Stop:
                      type: object
                      properties:
                        stop:
                          type: [array, boolean, string, 'null']
                          items: {type: string}
                          maxLength: 4
                    """))
        guard case .object(let shape)? = snippet.type("Stop")?.kind,
            let stop = shape.properties.first
        else {
            Issue.record("Stop is not an object")
            return
        }
        #expect(stop.type == .nullable(.named("StopStop")))
        guard case .union(let union)? = snippet.type("StopStop")?.kind else {
            Issue.record("StopStop is not a union")
            return
        }
        #expect(union.variants.map(\.type) == [.primitive(.boolean), .primitive(.string), .array(.primitive(.string))])
        #expect(union.variants[1].constraints.maxLength == 4)
        #expect(union.variants[0].constraints.maxLength == nil)
        expectLines(snippet.swift, ["public var stop: StopStop?", "case boolean(Bool)", "case string(String)", "case array([String])"])
    }

    /// `anyOf: [string, integer, null]` is an optional union: `null` is accepted.
    @Test func nullBranchOfASeveralWayUnionMakesItOptional() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Value:
                      anyOf: [{type: string}, {type: integer}, {type: 'null'}]
                    Holder:
                      type: object
                      required: [value, inline]
                      properties:
                        value: {$ref: '#/components/schemas/Value'}
                        inline:
                          anyOf: [{type: string}, {type: integer}, {type: 'null'}]
                    """))
        guard case .union(let union)? = snippet.type("Value")?.kind else {
            Issue.record("Value is not a union")
            return
        }
        #expect(union.variants.map(\.type) == [.primitive(.string), .primitive(.integer)])
        guard case .object(let shape)? = snippet.type("Holder")?.kind else {
            Issue.record("Holder is not an object")
            return
        }
        #expect(shape.properties.map(\.type) == [.nullable(.named("Value")), .nullable(.named("HolderInline"))])
        expectLines(snippet.swift, ["public var value: Value?", "public var inline: HolderInline?"])
    }

    /// A union of one (Stripe's `anyOf: [$ref]` beside `nullable: true` and a description, or a
    /// `oneOf` of one) is that member or null: no one-case enum to unwrap. A wrapper whose other
    /// keywords still shape the value (a discriminator, an empty alternative that accepts
    /// anything, a `type`) keeps its union.
    @Test func aUnionOfOneIsItsMember() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Profile: {type: object, properties: {name: {type: string}}}
                    Account:
                      type: object
                      required: [profile, code, kind]
                      properties:
                        profile:
                          anyOf: [{$ref: '#/components/schemas/Profile'}]
                          nullable: true
                          description: The profile.
                        code:
                          oneOf: [{type: string, maxLength: 4}]
                        kind:
                          anyOf: [{$ref: '#/components/schemas/Profile'}, {description: anything}]
                    Wrapped:
                      oneOf: [{$ref: '#/components/schemas/Profile'}]
                      description: a named wrapper
                    """, version: "3.0.3"))
        guard case .object(let shape)? = snippet.type("Account")?.kind else {
            Issue.record("Account is not an object")
            return
        }
        #expect(shape.properties.map(\.type) == [.nullable(.named("Profile")), .primitive(.string), .named("AccountKind")])
        #expect(shape.properties[1].constraints.maxLength == 4)
        guard case .alias(let target, _)? = snippet.type("Wrapped")?.kind else {
            Issue.record("Wrapped is not an alias")
            return
        }
        #expect(target == .named("Profile"))
        expectLines(snippet.swift, ["public var profile: Profile?", "public var code: String", "public var kind: AccountKind"])
        expectNoLine(snippet.swift, containing: "enum AccountProfile")
        expectLines(snippet.typeScript, ["profile: components[\"schemas\"][\"Profile\"] | null;"])
    }

    /// An object with `properties` and `oneOf` keeps both: the properties and the variant are
    /// read from the same JSON object.
    @Test func propertiesBesideOneOfAreKept() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Payment:
                      type: object
                      required: [amount]
                      properties:
                        amount: {type: integer}
                      oneOf:
                        - {$ref: '#/components/schemas/Card'}
                        - {$ref: '#/components/schemas/Bank'}
                    Card: {type: object, required: [number], properties: {number: {type: string}}}
                    Bank: {type: object, required: [iban], properties: {iban: {type: string}}}
                    """))
        guard case .object(let shape)? = snippet.type("Payment")?.kind else {
            Issue.record("Payment is not an object")
            return
        }
        #expect(shape.properties.map(\.jsonName) == ["amount"])
        #expect(shape.compositions == [.init(name: "oneOf", type: .named("PaymentOneOf"))])
        expectLines(
            snippet.swift,
            [
                "public struct Payment: Codable, Hashable, Sendable {",
                "public var amount: Int",
                "public var oneOf: PaymentOneOf",
                "self.oneOf = try PaymentOneOf(from: decoder)",
                "try oneOf.encode(to: encoder)",
                "public indirect enum PaymentOneOf: Codable, Hashable, Sendable {",
                "case card(Card)",
                "case bank(Bank)",
            ])
        expectLines(snippet.typeScript, ["Payment: {", "amount: number;"])
    }

    /// `oneOf` inside an `allOf` member is kept as well; the polymorphism pattern (a variant
    /// inheriting from the union that lists it) inherits properties only.
    @Test func oneOfInsideAllOfMembersIsKeptExceptForInheritance() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Agent:
                      allOf:
                        - {type: object, required: [id], properties: {id: {type: string}}}
                        - oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Bank'}]
                        - $ref: '#/components/schemas/Method'
                    Method:
                      oneOf: [{type: string}, {type: integer}]
                    Card: {type: object, required: [number], properties: {number: {type: string}}}
                    Bank: {type: object, required: [iban], properties: {iban: {type: string}}}
                    Pet:
                      type: object
                      required: [kind]
                      properties: {kind: {type: string}}
                      oneOf: [{$ref: '#/components/schemas/Cat'}]
                      discriminator: {propertyName: kind}
                    Cat:
                      allOf:
                        - $ref: '#/components/schemas/Pet'
                        - {type: object, properties: {meow: {type: boolean}}}
                    """))
        #expect(snippet.diagnostics.isEmpty, "\(snippet.diagnostics)")
        guard case .object(let agent)? = snippet.type("Agent")?.kind, case .object(let cat)? = snippet.type("Cat")?.kind else {
            Issue.record("Agent or Cat is not an object")
            return
        }
        #expect(agent.properties.map(\.jsonName) == ["id"])
        #expect(agent.compositions == [.init(name: "oneOf", type: .named("AgentOneOf")), .init(name: "oneOf2", type: .named("Method"))])
        #expect(cat.properties.map(\.jsonName) == ["kind", "meow"])
        #expect(cat.compositions.isEmpty)
    }
}
