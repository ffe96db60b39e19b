import Testing

@testable import CodeGen

/// The rules the other suites leave out: the remaining bounds and keywords, discriminators
/// added or removed, deprecations taken back.
@Suite struct DiffMoreRuleTests {
    static func diff(_ old: String, _ new: String, schemas: String = "") -> DiffSnippet {
        DiffSchemaRuleTests.diff(old, new, schemas: schemas)
    }

    @Test func exclusiveBoundsAndPropertyCounts() {
        let snippet = Self.diff(
            "type: object\nproperties: {n: {type: number, exclusiveMaximum: 10, exclusiveMinimum: 0}, m: {type: object, minProperties: 1}}",
            "type: object\nproperties: {n: {type: number, exclusiveMaximum: 5, exclusiveMinimum: -1}, m: {type: object, minProperties: 2}}")
        snippet.expect("request-property-exclusive-maximum-decreased", client: .breaking)
        snippet.expect("response-property-exclusive-minimum-decreased", client: .breaking)
        snippet.expect("request-property-min-properties-increased", client: .breaking)
    }

    @Test func keywordsRelaxed() {
        let snippet = Self.diff(
            "type: object\nproperties: {n: {type: number, multipleOf: 1}, tags: {type: array, uniqueItems: true, items: {type: string}}, id: {type: integer, format: int32}}",
            "type: object\nproperties: {n: {type: number, multipleOf: 0.5}, tags: {type: array, items: {type: string}}, id: {type: integer, format: int64}}"
        )
        snippet.expect("response-property-multiple-of-widened", client: .breaking)
        snippet.expect("request-property-multiple-of-widened", client: .info)
        snippet.expect("response-property-unique-items-removed", client: .breaking)
        snippet.expect("response-property-format-widened", client: .breaking)
        snippet.expect("request-property-format-widened", client: .info)
        let changed = Self.diff("type: number\nmultipleOf: 2", "type: number\nmultipleOf: 3")
        changed.expect("request-body-multiple-of-changed", client: .breaking)
    }

    @Test func additionalPropertiesOpenedAndNarrowed() {
        let opened = Self.diff(
            "type: object\nadditionalProperties: false\nproperties: {a: {type: string}}", "type: object\nproperties: {a: {type: string}}")
        opened.expect("response-body-additional-properties-opened", client: .info)
        let narrowed = Self.diff("type: object\nadditionalProperties: true", "type: object\nadditionalProperties: {type: string}")
        narrowed.expect("request-body-additional-properties-narrowed", client: .breaking)
        narrowed.expect("response-body-additional-properties-narrowed", client: .info, server: .breaking)
    }

    @Test func discriminatorAddedRemovedAndExtended() {
        let union = "oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]"
        let cats =
            "Cat: {type: object, required: [kind], properties: {kind: {type: string}}}\nDog: {type: object, required: [kind], properties: {kind: {type: string}}}"
        let tagged = union + "\ndiscriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat'}}"
        let added = Self.diff(union, tagged, schemas: cats)
        added.expect("request-body-discriminator-added", client: .warning)
        let removed = Self.diff(tagged, union, schemas: cats)
        removed.expect("response-body-discriminator-removed", client: .warning, server: .warning)
        let extended = Self.diff(
            tagged,
            union + "\ndiscriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}",
            schemas: cats)
        extended.expect("response-body-discriminator-mapping-added", client: .breaking)
        extended.expect("request-body-discriminator-mapping-added", client: .info)
    }

    @Test func deprecationsTakenBackAndParameterDeprecated() {
        let ok = "responses: {'200': {description: ok}}"
        let snippet = DiffSnippet(
            old: Snippet.document(
                paths:
                    "/a:\n  get: {deprecated: true, \(ok)}\n/b:\n  get:\n    parameters: [{name: q, in: query, schema: {type: string}}]\n    \(ok)"
            ),
            new: Snippet.document(
                paths:
                    "/a:\n  get: {\(ok)}\n/b:\n  get:\n    parameters: [{name: q, in: query, deprecated: true, schema: {type: string}}]\n    \(ok)"
            ))
        snippet.expect("operation-no-longer-deprecated", client: .info)
        snippet.expect("request-parameter-deprecated", client: .info)
    }

    @Test func requestBodyBecameOptional() {
        let snippet = DiffSnippet(
            old: DiffBodyRuleTests.post("{required: true, \(DiffBodyRuleTests.json)}"),
            new: DiffBodyRuleTests.post("{\(DiffBodyRuleTests.json)}"))
        snippet.expect("request-body-became-optional", client: .info)
    }
}

/// Callbacks: requests the server sends, compared like webhooks.
@Suite struct DiffCallbackTests {
    static func api(_ values: String) -> String {
        """
        openapi: 3.1.0
        info: {title: Snippet, version: '1'}
        paths:
          /subscriptions:
            post:
              responses: {'201': {description: ok}}
              callbacks:
                event:
                  '{$request.body#/url}':
                    post:
                      requestBody: {content: {application/json: {schema: {type: object, properties: {kind: {type: string, enum: [\(values)]}}}}}}
                      responses: {'200': {description: ok}}
        """
    }

    @Test func callbackBodiesFlowToTheClient() {
        let snippet = DiffSnippet(old: Self.api("a, b"), new: Self.api("a, b, c"))
        snippet.expect("callback-request-property-enum-value-added", client: .breaking)
        #expect(
            snippet.change("callback-request-property-enum-value-added")?.operation
                == "POST /subscriptions callback event {$request.body#/url} POST")
        let narrowed = DiffSnippet(old: Self.api("a, b"), new: Self.api("a"))
        narrowed.expect("callback-request-property-enum-value-removed", client: .info, server: .breaking)
    }
}
