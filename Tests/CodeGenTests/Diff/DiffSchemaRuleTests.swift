import Foundation
import Testing

@testable import CodeGen

/// Schema rules. `Item` is both read (`request-…`) and answered (`response-…`) by `POST /items`,
/// so each row shows the direction flip: narrowing what clients send breaks clients, narrowing
/// what the server answers breaks the server (values it stored under the old contract), and
/// widening what it answers breaks clients.
@Suite struct DiffSchemaRuleTests {
    static let cats =
        "Cat: {type: object, required: [kind], properties: {kind: {type: string}}}\nDog: {type: object, required: [kind], properties: {kind: {type: string}}}"
    static let pets = "oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]"
    static let catMapping = "cat: '#/components/schemas/Cat'"
    static let dogMapping = "dog: '#/components/schemas/Dog'"
    static func tagged(_ property: String, _ mapping: String) -> String {
        pets + "\ndiscriminator: {propertyName: \(property), mapping: {\(mapping)}}"
    }

    static let cases: [DiffCase] = [
        .item(
            "a required property added", "type: object\nproperties: {name: {type: string}}",
            "type: object\nrequired: [name, id]\nproperties: {name: {type: string}, id: {type: string}}",
            .rule("request-required-property-added", .breaking), .rule("request-property-became-required", .breaking),
            .rule("response-required-property-added", .info, .breaking), .rule("response-property-became-required", .info, .breaking)),
        // A read-only property is never sent: requiring it breaks no client.
        DiffCase(
            name: "a required read-only property is not required in requests",
            old: DiffSnippet.items("type: object\nproperties: {name: {type: string}}", response: false),
            new: DiffSnippet.items(
                "type: object\nrequired: [id]\nproperties: {name: {type: string}, id: {type: string, readOnly: true}}", response: false),
            expected: [], exactIDs: []),
        // A dropped or renamed field breaks clients either way: a reader no longer gets it, a
        // writer's value is ignored or refused.
        .item(
            "properties removed",
            "type: object\nrequired: [id]\nproperties: {id: {type: string}, note: {type: string}, name: {type: string}}",
            "type: object\nproperties: {name: {type: string}}",
            .rule("response-required-property-removed", .breaking), .rule("response-optional-property-removed", .breaking),
            .rule("request-required-property-removed", .breaking), .rule("request-optional-property-removed", .breaking)),
        .item(
            "a property became optional", "type: object\nrequired: [id]\nproperties: {id: {type: string}}",
            "type: object\nproperties: {id: {type: string}}",
            .rule("response-property-became-optional", .breaking), .rule("request-property-became-optional", .info)),
        .item(
            "a type changed", "type: object\nproperties: {id: {type: string}}", "type: object\nproperties: {id: {type: integer}}",
            .rule("request-property-type-changed", .breaking), .rule("response-property-type-changed", .breaking, .breaking)),
        // An integer is a number: integer → number widens, number → integer narrows.
        .item(
            "a type widened", "type: object\nproperties: {n: {type: integer}}", "type: object\nproperties: {n: {type: number}}",
            .rule("request-property-type-widened", .info), .rule("response-property-type-widened", .breaking)),
        .item(
            "a type narrowed", "type: object\nproperties: {n: {type: number}}", "type: object\nproperties: {n: {type: integer}}",
            .rule("request-property-type-narrowed", .breaking), .rule("response-property-type-narrowed", .info, .breaking)),
        .item(
            "a format changed", "type: object\nproperties: {at: {type: string, format: date}}",
            "type: object\nproperties: {at: {type: string, format: date-time}}",
            .rule("request-property-format-changed", .breaking), .rule("response-property-format-changed", .breaking, .breaking)),
        .item(
            "nullable added", "type: object\nproperties: {a: {type: string}}", "type: object\nproperties: {a: {type: [string, 'null']}}",
            .rule("response-property-nullable-added", .breaking), .rule("request-property-nullable-added", .info)),
        .item(
            "nullable removed", "type: object\nproperties: {a: {type: [string, 'null']}}", "type: object\nproperties: {a: {type: string}}",
            .rule("request-property-nullable-removed", .breaking), .rule("response-property-nullable-removed", .info, .breaking)),
        .item(
            "an enum value added", "type: object\nproperties: {s: {type: string, enum: [a, b]}}",
            "type: object\nproperties: {s: {type: string, enum: [a, b, c]}}",
            .rule("response-property-enum-value-added", .breaking), .rule("request-property-enum-value-added", .info)),
        .item(
            "an enum value removed", "type: object\nproperties: {s: {type: string, enum: [a, b]}}",
            "type: object\nproperties: {s: {type: string, enum: [a]}}",
            .rule("request-property-enum-value-removed", .breaking), .rule("response-property-enum-value-removed", .info, .breaking)),
        .item(
            "an enum added", "type: object\nproperties: {s: {type: string}}", "type: object\nproperties: {s: {type: string, enum: [a]}}",
            .rule("request-property-enum-added", .breaking)),
        .item(
            "an enum removed", "type: object\nproperties: {s: {type: string, enum: [a]}}", "type: object\nproperties: {s: {type: string}}",
            .rule("response-property-enum-removed", .breaking)),
        // `x-enum-open: true`: readers keep values they do not know, so a new one breaks nobody.
        .item(
            "an open enum value added", "type: object\nproperties: {s: {type: string, enum: [a], x-enum-open: true}}",
            "type: object\nproperties: {s: {type: string, enum: [a, b], x-enum-open: true}}", nothingElseBreaking: true,
            .rule("response-property-open-enum-value-added", .info)),
        .item(
            "bounds flip between request and response",
            "type: object\nproperties: {s: {type: string, maxLength: 100, minLength: 1}, n: {type: integer, minimum: 0}}",
            "type: object\nproperties: {s: {type: string, maxLength: 50, minLength: 2}, n: {type: integer, minimum: 1}}",
            .rule("request-property-max-length-decreased", .breaking), .rule("response-property-max-length-decreased", .info, .breaking),
            .rule("request-property-min-length-increased", .breaking), .rule("request-property-minimum-increased", .breaking),
            .rule("response-property-minimum-increased", .info, .breaking)),
        .item(
            "a bound dropped", "type: object\nproperties: {s: {type: string, maxLength: 50}}",
            "type: object\nproperties: {s: {type: string}}",
            .rule("response-property-max-length-increased", .breaking), .rule("request-property-max-length-increased", .info)),
        .item(
            "array and object bounds",
            "type: object\nproperties: {tags: {type: array, items: {type: string}, maxItems: 10}, m: {type: object, additionalProperties: {type: string}}}",
            "type: object\nproperties: {tags: {type: array, items: {type: string}, maxItems: 5, uniqueItems: true, minItems: 1}, m: {type: object, additionalProperties: {type: string}, maxProperties: 3}}",
            .rule("request-property-max-items-decreased", .breaking), .rule("request-property-min-items-increased", .breaking),
            .rule("request-property-unique-items-added", .breaking), .rule("request-property-max-properties-decreased", .breaking)),
        .item(
            "exclusive bounds and property counts",
            "type: object\nproperties: {n: {type: number, exclusiveMaximum: 10, exclusiveMinimum: 0}, m: {type: object, minProperties: 1}}",
            "type: object\nproperties: {n: {type: number, exclusiveMaximum: 5, exclusiveMinimum: -1}, m: {type: object, minProperties: 2}}",
            .rule("request-property-exclusive-maximum-decreased", .breaking),
            .rule("response-property-exclusive-minimum-decreased", .breaking), .rule("request-property-min-properties-increased", .breaking)
        ),
        .item(
            "patterns and multiples",
            "type: object\nproperties: {code: {type: string, pattern: '^[A-Z]+$'}, n: {type: number, multipleOf: 0.5}}",
            "type: object\nproperties: {code: {type: string, pattern: '^[A-Z0-9]+$'}, n: {type: number, multipleOf: 1}}",
            .rule("request-property-pattern-changed", .warning), .rule("response-property-pattern-changed", .warning, .warning),
            .rule("request-property-multiple-of-narrowed", .breaking)),
        .item(
            "a pattern added", "type: object\nproperties: {code: {type: string}}",
            "type: object\nproperties: {code: {type: string, pattern: '^a'}}", .rule("request-property-pattern-added", .breaking)),
        .item(
            "keywords relaxed",
            "type: object\nproperties: {n: {type: number, multipleOf: 1}, tags: {type: array, uniqueItems: true, items: {type: string}}, id: {type: integer, format: int32}}",
            "type: object\nproperties: {n: {type: number, multipleOf: 0.5}, tags: {type: array, items: {type: string}}, id: {type: integer, format: int64}}",
            .rule("response-property-multiple-of-widened", .breaking), .rule("request-property-multiple-of-widened", .info),
            .rule("response-property-unique-items-removed", .breaking), .rule("response-property-format-widened", .breaking),
            .rule("request-property-format-widened", .info)),
        .item(
            "a multiple changed", "type: number\nmultipleOf: 2", "type: number\nmultipleOf: 3",
            .rule("request-body-multiple-of-changed", .breaking)),
        .item(
            "read-only and write-only",
            "type: object\nrequired: [secret]\nproperties: {id: {type: string}, secret: {type: string}}",
            "type: object\nrequired: [secret]\nproperties: {id: {type: string, readOnly: true}, secret: {type: string, writeOnly: true}}",
            .rule("request-property-became-read-only", .warning), .rule("response-property-became-write-only", .info),
            // No longer in responses: the required property is gone for readers.
            .rule("response-property-became-optional", .breaking)),
        .item(
            "a default changed", "type: object\nproperties: {size: {type: integer, default: 10}}",
            "type: object\nproperties: {size: {type: integer, default: 20}}", response: false,
            .rule("request-property-default-changed", .warning)),
        .item(
            "additional properties closed", "type: object\nproperties: {a: {type: string}}",
            "type: object\nadditionalProperties: false\nproperties: {a: {type: string}}",
            .rule("request-body-additional-properties-closed", .breaking)),
        .item(
            "additional properties widened", "type: object\nadditionalProperties: {type: integer}",
            "type: object\nadditionalProperties: true",
            .rule("response-body-additional-properties-widened", .breaking)),
        .item(
            "additional properties opened", "type: object\nadditionalProperties: false\nproperties: {a: {type: string}}",
            "type: object\nproperties: {a: {type: string}}", .rule("response-body-additional-properties-opened", .info)),
        .item(
            "additional properties narrowed", "type: object\nadditionalProperties: true",
            "type: object\nadditionalProperties: {type: string}",
            .rule("request-body-additional-properties-narrowed", .breaking),
            .rule("response-body-additional-properties-narrowed", .info, .breaking)),
        .item(
            "a union branch added", "oneOf: [{type: string}, {type: integer}]", "oneOf: [{type: string}, {type: integer}, {type: boolean}]",
            .rule("response-body-variant-added", .breaking), .rule("request-body-variant-added", .info)),
        .item(
            "a union branch removed", "anyOf: [{type: string}, {type: integer}, {type: boolean}]",
            "anyOf: [{type: integer}, {type: boolean}]",
            .rule("request-body-variant-removed", .breaking), .rule("response-body-variant-removed", .info, .breaking)),
        .item(
            "a discriminator renamed", tagged("kind", "\(catMapping), \(dogMapping)"), tagged("type", "\(catMapping), \(dogMapping)"),
            schemas: cats,
            .rule("request-body-discriminator-property-changed", .breaking),
            .rule("response-body-discriminator-property-changed", .breaking, .breaking)),
        .item(
            "a discriminator mapping removed", tagged("kind", "\(catMapping), \(dogMapping)"), tagged("kind", catMapping), schemas: cats,
            .rule("request-body-discriminator-mapping-removed", .breaking),
            .rule("response-body-discriminator-mapping-removed", .info, .breaking)),
        .item(
            "a discriminator added", pets, tagged("kind", catMapping), schemas: cats, .rule("request-body-discriminator-added", .warning)),
        .item(
            "a discriminator removed", tagged("kind", catMapping), pets, schemas: cats,
            .rule("response-body-discriminator-removed", .warning, .warning)),
        .item(
            "a discriminator mapping added", tagged("kind", catMapping), tagged("kind", "\(catMapping), \(dogMapping)"), schemas: cats,
            .rule("response-body-discriminator-mapping-added", .breaking), .rule("request-body-discriminator-mapping-added", .info)),
        .item(
            "a property deprecated", "type: object\nproperties: {a: {type: string}}",
            "type: object\nproperties: {a: {type: string, deprecated: true}}", .rule("request-property-deprecated", .info)),
    ]

    @Test(arguments: cases) func rule(_ row: DiffCase) { row.check() }

    /// Whether `null` is accepted is the model's decision (`SchemaRules.acceptsNull`): through
    /// `allOf` it must pass every member, so a nullable base beside an object member leaves the
    /// property non-null, in the generated Swift and in the diff alike.
    @Test func nullabilityIsTheModels() {
        let item =
            "type: object\nproperties: {a: {allOf: [{$ref: '#/components/schemas/Base'}, {type: object, properties: {y: {type: string}}}]}}"
        func base(_ type: String) -> String { "Base: {type: \(type), properties: {x: {type: string}}}" }
        let snippet = DiffSnippet(
            old: DiffSnippet.items(item, schemas: base("object")), new: DiffSnippet.items(item, schemas: base("[object, 'null']")))
        #expect(snippet.ids.isEmpty, "\(snippet.ids)")
        guard case .object(let shape)? = Snippet(DiffSnippet.items(item, schemas: base("[object, 'null']"))).type("Item")?.kind else {
            Issue.record("Item is not an object")
            return
        }
        #expect(shape.properties.first?.type.isNullable == false)
    }

    /// A schema that names no type is the type the model gives it: a string keyword makes a
    /// string (the generated property is a `String` either way), so writing `type: string` out
    /// is no change.
    @Test func anImpliedTypeIsTheModels() {
        let old = "type: object\nproperties: {code: {maxLength: 5}}"
        let new = "type: object\nproperties: {code: {type: string, maxLength: 5}}"
        let snippet = DiffSnippet(old: DiffSnippet.items(old), new: DiffSnippet.items(new))
        #expect(snippet.ids.isEmpty, "\(snippet.ids)")
        for document in [old, new] {
            guard case .object(let shape)? = Snippet(DiffSnippet.items(document)).type("Item")?.kind else {
                Issue.record("Item is not an object")
                return
            }
            #expect(shape.properties.first?.type == .primitive(.string))
        }
    }

    /// An object's properties are merged as the model merges them: a property two `allOf`
    /// members declare is the later one's, which the generated type checks, so a change there
    /// is seen (the first member's used to hide it).
    @Test func allOfPropertiesAreTheModels() {
        func item(_ maxLength: Int) -> String {
            "allOf: [{type: object, properties: {a: {type: string}}}, {type: object, properties: {a: {type: string, maxLength: \(maxLength)}}}]"
        }
        let snippet = DiffSnippet(old: DiffSnippet.items(item(5)), new: DiffSnippet.items(item(3)))
        snippet.expect("request-property-max-length-decreased", client: .breaking)
        guard case .object(let shape)? = Snippet(DiffSnippet.items(item(3))).type("Item")?.kind else {
            Issue.record("Item is not an object")
            return
        }
        #expect(shape.properties.first?.constraints.maxLength == 3)
    }

    /// The values that select a variant are the model's: without a `mapping`, a variant's own
    /// one-value `enum` of the property (what payloads carry) is its value, so changing it
    /// changes the discriminator's values.
    @Test func discriminatorValuesAreTheModels() {
        func animals(_ catValue: String) -> String {
            "Cat: {type: object, required: [kind], properties: {kind: {type: string, enum: [\(catValue)]}}}\n"
                + "Dog: {type: object, required: [kind], properties: {kind: {type: string, enum: [dog]}}}"
        }
        let union = Self.pets + "\ndiscriminator: {propertyName: kind}"
        let snippet = DiffSnippet(
            old: DiffSnippet.items(union, schemas: animals("cat")), new: DiffSnippet.items(union, schemas: animals("kitty")))
        snippet.expect("request-body-discriminator-mapping-removed", client: .breaking)
        snippet.expect("response-body-discriminator-mapping-added", client: .breaking)
        #expect(snippet.change("request-body-discriminator-mapping-removed")?.message.contains("cat") == true)
    }

    /// As many branches on both sides: the one that changed is compared with its replacement.
    @Test func aReplacedBranchIsComparedWithItsReplacement() {
        let replaced = DiffSnippet(
            old: DiffSnippet.items("anyOf: [{type: string}, {type: integer}]"),
            new: DiffSnippet.items("anyOf: [{type: integer}, {type: array, items: {type: string}}]"))
        replaced.expect("request-property-type-changed", client: .breaking)
        #expect(replaced.change("request-property-type-changed")?.message.contains("property 'anyOf[1]'") == true)
    }

    /// A webhook is sent by the server: its request body flows to the client, its answer to the server.
    @Test func webhooksFlipTheFlow() {
        func hook(_ values: String) -> String {
            """
            openapi: 3.1.0
            info: {title: Snippet, version: '1'}
            webhooks:
              itemChanged:
                post:
                  requestBody: {content: {application/json: {schema: {type: object, properties: {kind: {type: string, enum: [\(values)]}}}}}}
                  responses: {'200': {description: ok}}
            """
        }
        let snippet = DiffSnippet(old: hook("a"), new: hook("a, b"))
        snippet.expect("webhook-request-property-enum-value-added", client: .breaking)
        #expect(snippet.change("webhook-request-property-enum-value-added")?.operation == "webhook itemChanged POST")
    }
}
