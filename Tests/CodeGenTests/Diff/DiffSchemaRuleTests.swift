import Foundation
import Testing

@testable import CodeGen

/// Schema rules. `Item` is both read (`request-…`) and answered (`response-…`) by `POST /items`,
/// so each test shows the direction flip: narrowing what clients send breaks clients, narrowing
/// what the server answers breaks the server (values it stored under the old contract), and
/// widening what it answers breaks clients.
@Suite struct DiffSchemaRuleTests {
    static func diff(_ old: String, _ new: String, schemas: String = "", request: Bool = true, response: Bool = true) -> DiffSnippet {
        DiffSnippet(
            old: DiffSnippet.items(old, schemas: schemas, request: request, response: response),
            new: DiffSnippet.items(new, schemas: schemas, request: request, response: response))
    }

    @Test func requiredPropertyAdded() {
        let snippet = Self.diff(
            "type: object\nproperties: {name: {type: string}}",
            "type: object\nrequired: [name, id]\nproperties: {name: {type: string}, id: {type: string}}")
        snippet.expect("request-required-property-added", client: .breaking)
        snippet.expect("request-property-became-required", client: .breaking)
        snippet.expect("response-required-property-added", client: .info, server: .breaking)
        snippet.expect("response-property-became-required", client: .info, server: .breaking)
    }

    /// A read-only property is never sent: requiring it breaks no client.
    @Test func requiredReadOnlyPropertyIsNotRequiredInRequests() {
        let snippet = Self.diff(
            "type: object\nproperties: {name: {type: string}}",
            "type: object\nrequired: [id]\nproperties: {name: {type: string}, id: {type: string, readOnly: true}}",
            response: false)
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
    }

    /// A dropped or renamed field breaks clients either way: a reader no longer gets it, a
    /// writer's value is ignored or refused.
    @Test func propertiesRemoved() {
        let snippet = Self.diff(
            "type: object\nrequired: [id]\nproperties: {id: {type: string}, note: {type: string}, name: {type: string}}",
            "type: object\nproperties: {name: {type: string}}")
        snippet.expect("response-required-property-removed", client: .breaking)
        snippet.expect("response-optional-property-removed", client: .breaking)
        snippet.expect("request-required-property-removed", client: .breaking)
        snippet.expect("request-optional-property-removed", client: .breaking)
    }

    @Test func propertyBecameOptional() {
        let snippet = Self.diff(
            "type: object\nrequired: [id]\nproperties: {id: {type: string}}", "type: object\nproperties: {id: {type: string}}")
        snippet.expect("response-property-became-optional", client: .breaking)
        snippet.expect("request-property-became-optional", client: .info)
    }

    @Test func typeChanged() {
        let snippet = Self.diff(
            "type: object\nproperties: {id: {type: string}}", "type: object\nproperties: {id: {type: integer}}")
        snippet.expect("request-property-type-changed", client: .breaking)
        snippet.expect("response-property-type-changed", client: .breaking, server: .breaking)
    }

    /// An integer is a number: integer → number widens, number → integer narrows.
    @Test func typeWidenedAndNarrowed() {
        let widened = Self.diff(
            "type: object\nproperties: {n: {type: integer}}", "type: object\nproperties: {n: {type: number}}")
        widened.expect("request-property-type-widened", client: .info)
        widened.expect("response-property-type-widened", client: .breaking)
        let narrowed = Self.diff(
            "type: object\nproperties: {n: {type: number}}", "type: object\nproperties: {n: {type: integer}}")
        narrowed.expect("request-property-type-narrowed", client: .breaking)
        narrowed.expect("response-property-type-narrowed", client: .info, server: .breaking)
    }

    @Test func formatChanged() {
        let snippet = Self.diff(
            "type: object\nproperties: {at: {type: string, format: date}}",
            "type: object\nproperties: {at: {type: string, format: date-time}}")
        snippet.expect("request-property-format-changed", client: .breaking)
        snippet.expect("response-property-format-changed", client: .breaking, server: .breaking)
    }

    @Test func nullable() {
        let added = Self.diff(
            "type: object\nproperties: {a: {type: string}}", "type: object\nproperties: {a: {type: [string, 'null']}}")
        added.expect("response-property-nullable-added", client: .breaking)
        added.expect("request-property-nullable-added", client: .info)
        let removed = Self.diff(
            "type: object\nproperties: {a: {type: [string, 'null']}}", "type: object\nproperties: {a: {type: string}}")
        removed.expect("request-property-nullable-removed", client: .breaking)
        removed.expect("response-property-nullable-removed", client: .info, server: .breaking)
    }

    @Test func enumValues() {
        let added = Self.diff(
            "type: object\nproperties: {s: {type: string, enum: [a, b]}}",
            "type: object\nproperties: {s: {type: string, enum: [a, b, c]}}")
        added.expect("response-property-enum-value-added", client: .breaking)
        added.expect("request-property-enum-value-added", client: .info)
        let removed = Self.diff(
            "type: object\nproperties: {s: {type: string, enum: [a, b]}}", "type: object\nproperties: {s: {type: string, enum: [a]}}")
        removed.expect("request-property-enum-value-removed", client: .breaking)
        removed.expect("response-property-enum-value-removed", client: .info, server: .breaking)
        let limited = Self.diff(
            "type: object\nproperties: {s: {type: string}}", "type: object\nproperties: {s: {type: string, enum: [a]}}")
        limited.expect("request-property-enum-added", client: .breaking)
        let freed = Self.diff(
            "type: object\nproperties: {s: {type: string, enum: [a]}}", "type: object\nproperties: {s: {type: string}}")
        freed.expect("response-property-enum-removed", client: .breaking)
    }

    /// `x-enum-open: true`: readers keep values they do not know, so a new one breaks nobody.
    @Test func openEnumValueAdded() {
        let snippet = Self.diff(
            "type: object\nproperties: {s: {type: string, enum: [a], x-enum-open: true}}",
            "type: object\nproperties: {s: {type: string, enum: [a, b], x-enum-open: true}}")
        snippet.expect("response-property-open-enum-value-added", client: .info)
        snippet.expectNothingElseBreaking()
    }

    @Test func boundsFlipBetweenRequestAndResponse() {
        let snippet = Self.diff(
            "type: object\nproperties: {s: {type: string, maxLength: 100, minLength: 1}, n: {type: integer, minimum: 0}}",
            "type: object\nproperties: {s: {type: string, maxLength: 50, minLength: 2}, n: {type: integer, minimum: 1}}")
        snippet.expect("request-property-max-length-decreased", client: .breaking)
        snippet.expect("response-property-max-length-decreased", client: .info, server: .breaking)
        snippet.expect("request-property-min-length-increased", client: .breaking)
        snippet.expect("request-property-minimum-increased", client: .breaking)
        snippet.expect("response-property-minimum-increased", client: .info, server: .breaking)
        let widened = Self.diff(
            "type: object\nproperties: {s: {type: string, maxLength: 50}}", "type: object\nproperties: {s: {type: string}}")
        widened.expect("response-property-max-length-increased", client: .breaking)
        widened.expect("request-property-max-length-increased", client: .info)
    }

    @Test func arrayAndObjectBounds() {
        let snippet = Self.diff(
            "type: object\nproperties: {tags: {type: array, items: {type: string}, maxItems: 10}, m: {type: object, additionalProperties: {type: string}}}",
            "type: object\nproperties: {tags: {type: array, items: {type: string}, maxItems: 5, uniqueItems: true, minItems: 1}, m: {type: object, additionalProperties: {type: string}, maxProperties: 3}}"
        )
        snippet.expect("request-property-max-items-decreased", client: .breaking)
        snippet.expect("request-property-min-items-increased", client: .breaking)
        snippet.expect("request-property-unique-items-added", client: .breaking)
        snippet.expect("request-property-max-properties-decreased", client: .breaking)
    }

    @Test func patternsAndMultiples() {
        let snippet = Self.diff(
            "type: object\nproperties: {code: {type: string, pattern: '^[A-Z]+$'}, n: {type: number, multipleOf: 0.5}}",
            "type: object\nproperties: {code: {type: string, pattern: '^[A-Z0-9]+$'}, n: {type: number, multipleOf: 1}}")
        snippet.expect("request-property-pattern-changed", client: .warning)
        snippet.expect("response-property-pattern-changed", client: .warning, server: .warning)
        snippet.expect("request-property-multiple-of-narrowed", client: .breaking)
        let added = Self.diff(
            "type: object\nproperties: {code: {type: string}}", "type: object\nproperties: {code: {type: string, pattern: '^a'}}")
        added.expect("request-property-pattern-added", client: .breaking)
    }

    @Test func readOnlyAndWriteOnly() {
        let snippet = Self.diff(
            "type: object\nrequired: [secret]\nproperties: {id: {type: string}, secret: {type: string}}",
            "type: object\nrequired: [secret]\nproperties: {id: {type: string, readOnly: true}, secret: {type: string, writeOnly: true}}")
        snippet.expect("request-property-became-read-only", client: .warning)
        snippet.expect("response-property-became-write-only", client: .info)
        // No longer in responses: the required property is gone for readers.
        snippet.expect("response-property-became-optional", client: .breaking)
    }

    @Test func defaultChanged() {
        let snippet = Self.diff(
            "type: object\nproperties: {size: {type: integer, default: 10}}",
            "type: object\nproperties: {size: {type: integer, default: 20}}",
            response: false)
        snippet.expect("request-property-default-changed", client: .warning)
    }

    @Test func additionalProperties() {
        let closed = Self.diff(
            "type: object\nproperties: {a: {type: string}}", "type: object\nadditionalProperties: false\nproperties: {a: {type: string}}")
        closed.expect("request-body-additional-properties-closed", client: .breaking)
        let widened = Self.diff(
            "type: object\nadditionalProperties: {type: integer}", "type: object\nadditionalProperties: true")
        widened.expect("response-body-additional-properties-widened", client: .breaking)
    }

    @Test func unionBranches() {
        let snippet = Self.diff(
            "oneOf: [{type: string}, {type: integer}]", "oneOf: [{type: string}, {type: integer}, {type: boolean}]")
        snippet.expect("response-body-variant-added", client: .breaking)
        snippet.expect("request-body-variant-added", client: .info)
        let removed = Self.diff("anyOf: [{type: string}, {type: integer}, {type: boolean}]", "anyOf: [{type: integer}, {type: boolean}]")
        removed.expect("request-body-variant-removed", client: .breaking)
        removed.expect("response-body-variant-removed", client: .info, server: .breaking)
        // As many branches on both sides: the one that changed is compared with its replacement.
        let replaced = Self.diff(
            "anyOf: [{type: string}, {type: integer}]", "anyOf: [{type: integer}, {type: array, items: {type: string}}]")
        replaced.expect("request-property-type-changed", client: .breaking)
        #expect(replaced.change("request-property-type-changed")?.message.contains("property 'anyOf[1]'") == true)
    }

    @Test func discriminators() {
        let old = """
            oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
            discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
            """
        let cats =
            "Cat: {type: object, required: [kind], properties: {kind: {type: string}}}\nDog: {type: object, required: [kind], properties: {kind: {type: string}}}"
        let renamed = Self.diff(old, old.replacingOccurrences(of: "propertyName: kind", with: "propertyName: type"), schemas: cats)
        renamed.expect("request-body-discriminator-property-changed", client: .breaking)
        renamed.expect("response-body-discriminator-property-changed", client: .breaking, server: .breaking)
        let fewer = Self.diff(old, old.replacingOccurrences(of: ", dog: '#/components/schemas/Dog'", with: ""), schemas: cats)
        fewer.expect("request-body-discriminator-mapping-removed", client: .breaking)
        fewer.expect("response-body-discriminator-mapping-removed", client: .info, server: .breaking)
    }

    @Test func deprecatedProperty() {
        let snippet = Self.diff(
            "type: object\nproperties: {a: {type: string}}", "type: object\nproperties: {a: {type: string, deprecated: true}}")
        snippet.expect("request-property-deprecated", client: .info)
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
