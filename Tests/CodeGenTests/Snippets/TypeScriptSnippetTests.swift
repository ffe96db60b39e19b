import Testing

@testable import CodeGen

/// `schema.ts` is written from the API model: each construct below was interpreted once, by the
/// model, and the TypeScript type says what the Swift type says.
@Suite struct TypeScriptSnippetTests {
    private func schemaTS(_ schemas: String, paths: String = "") -> String {
        Snippet(Snippet.document(schemas: schemas, paths: paths)).typeScript
    }

    /// A type array with several non-null types is a union of each (issue 11, item 4).
    @Test func typeArrayIsAUnionOfItsTypes() {
        let text = schemaTS(
            """
            Value:
              type: object
              properties:
                several: {type: [array, boolean, string], items: {type: string}}
            """)
        expectLines(text, ["several?: boolean | string | string[];"])
    }

    /// `anyOf` with `null` among several other branches is a nullable union (issue 11, item 6).
    @Test func nullBranchMakesTheUseNullable() {
        let text = schemaTS(
            """
            Value:
              type: object
              required: [id]
              properties:
                id: {anyOf: [{type: string}, {type: integer}, {type: 'null'}]}
            """)
        expectLines(text, ["id: string | number | null;"])
    }

    /// `const` and one-off inline enums of other than strings are literal types.
    @Test func constantsAreLiterals() {
        let text = schemaTS(
            """
            Value:
              type: object
              properties:
                answer: {const: 42}
                flag: {enum: [true]}
                ratio: {type: number, enum: [0.5, 1.5]}
            """)
        expectLines(text, ["answer?: 42;", "flag?: true;", "ratio?: 0.5 | 1.5;"])
    }

    /// An explicit mapping narrows each variant to its values, even where the variant's own
    /// property is any string, so a `switch` on the property narrows as the decoders dispatch.
    @Test func discriminatorMappingNarrowsEachVariant() {
        let text = schemaTS(
            """
            Pet:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator:
                propertyName: kind
                mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}
            Cat:
              type: object
              required: [kind]
              properties: {kind: {type: string}, lives: {type: integer}}
            Dog:
              type: object
              required: [kind]
              properties: {kind: {type: string}}
            """)
        expectLines(
            text,
            [
                "Pet: (components[\"schemas\"][\"Cat\"] & {", "kind: \"cat\";",
                "}) | (components[\"schemas\"][\"Dog\"] & {", "kind: \"dog\";",
            ])
    }

    /// An object with properties and a `oneOf` must be both: an intersection (issue 11, item 5).
    @Test func propertiesBesideOneOfIntersect() {
        let text = schemaTS(
            """
            Shape:
              type: object
              required: [name]
              properties: {name: {type: string}}
              oneOf:
                - {type: object, required: [radius], properties: {radius: {type: number}}}
                - {type: object, required: [side], properties: {side: {type: number}}}
            """)
        expectLines(text, ["Shape: {", "name: string;", "} & ({", "radius: number;", "} | {", "side: number;", "});"])
    }

    /// Inline schemas the model hoisted are spelled out where they stand, as openapi-typescript
    /// leaves them, and get the model's name as an alias.
    @Test func hoistedTypesAreInlineWithAnAlias() {
        let text = schemaTS(
            """
            Light:
              type: object
              properties:
                color: {type: string, enum: [red, green]}
            """)
        expectLines(text, ["color?: \"red\" | \"green\";", "export type LightColor = \"red\" | \"green\";"])
    }

    /// Response and parameter components are named as openapi-typescript names them, declared
    /// once from the model's operations.
    @Test func responseAndParameterComponentsAreReferenced() {
        let document = """
            openapi: 3.1.0
            info: {title: Snippet, version: '1'}
            paths:
              /items/{id}:
                get:
                  operationId: readItem
                  parameters: [{$ref: '#/components/parameters/Id'}]
                  responses:
                    '200': {description: ok, content: {application/json: {schema: {type: string}}}}
                    '404': {$ref: '#/components/responses/NotFound'}
            components:
              parameters:
                Id: {name: id, in: path, required: true, schema: {type: string}}
              responses:
                NotFound: {description: Not found}
            """
        let text = Snippet(document).typeScript
        expectLines(
            text,
            [
                "id: components[\"parameters\"][\"Id\"];", "responses: {", "NotFound: {", "content?: never;",
                "parameters: {", "Id: string;", "404: components[\"responses\"][\"NotFound\"];",
            ])
    }
}
