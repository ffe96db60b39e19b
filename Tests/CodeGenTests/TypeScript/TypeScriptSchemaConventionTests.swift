import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// openapi-typescript 7's conventions, one at a time, on small documents.
@Suite struct TypeScriptSchemaConventionTests {
    /// A 3.0 document whose `components.schemas` is `schemas` (written at column 0).
    private func schemaFile(_ schemas: String, version: String = "3.0.3", paths: String = "{}") -> String {
        let indented = schemas.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
        return TypeScriptTestSupport.schema(
            """
            openapi: \(version)
            info: {title: Conventions, version: '1'}
            paths: \(paths)
            components:
              schemas:
            \(indented)

            """)
    }

    private func expect(_ text: String, contains fragments: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for fragment in fragments {
            #expect(text.contains(fragment), "schema.ts lacks:\n\(fragment)\n---\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func emptyDocumentHasEveryRoot() {
        let text = schemaFile("{}")
        expect(
            text,
            contains: [
                "export type paths = Record<string, never>;\n", "export type webhooks = Record<string, never>;\n",
                "export interface components {\n  schemas: never;\n  responses: never;\n  parameters: never;\n  requestBodies: never;\n  headers: never;\n  pathItems: never;\n}\n",
                "export type $defs = Record<string, never>;\n", "export type operations = Record<string, never>;\n",
            ])
    }

    @Test func nullableOptionalAndReadOnly() {
        let text = schemaFile(
            """
            Thing:
              type: object
              required: [name, id]
              properties:
                id: {type: string, format: uuid, readOnly: true}
                name: {type: string, nullable: true}
                color: {type: string, enum: [red, green], nullable: true}
                note: {type: string}
                count: {type: integer, default: 3}
            """)
        expect(
            text,
            contains: [
                "      /** Format: uuid */\n      readonly id: string;\n", "      name: string | null;\n",
                "      color?: \"red\" | \"green\" | null;\n", "      note?: string;\n",
                // A component is also what clients send, where a defaulted property may be left
                // out (the conformance harness's instances do): it stays optional.
                "      /** @default 3 */\n      count?: number;\n",
            ])
    }

    @Test func freeFormAndMapObjects() {
        let text = schemaFile(
            """
            Maps:
              type: object
              properties:
                empty: {type: object}
                closed: {type: object, additionalProperties: false}
                free: {type: object, additionalProperties: true}
                anything: {}
                scores: {type: object, additionalProperties: {type: integer}}
                mixed:
                  type: object
                  properties: {a: {type: string}}
                  additionalProperties: {type: string}
            """)
        expect(
            text,
            contains: [
                // Any object is a `type: object` with nothing else (Swift's `[String: JSONValue]`).
                "      empty?: Record<string, unknown>;\n", "      closed?: Record<string, never>;\n",
                "      free?: Record<string, unknown>;\n",
                "      anything?: unknown;\n", "      scores?: {\n        [key: string]: number;\n      };\n",
                "      mixed?: {\n        a?: string;\n      } & {\n        [key: string]: string;\n      };\n",
            ])
    }

    @Test func compositions() {
        let text = schemaFile(
            """
            Base:
              type: object
              properties: {id: {type: string}, kind: {type: string}}
            Child:
              required: [id]
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  properties: {extra: {type: string}}
            Either:
              oneOf: [{$ref: '#/components/schemas/Base'}, {type: string}]
            Primitive:
              oneOf: [{type: string}, {type: integer}]
            Loose:
              type: object
              properties: {a: {type: string}}
              anyOf: [{$ref: '#/components/schemas/Base'}]
            Pair:
              type: array
              items: {oneOf: [{type: string}, {type: number}]}
            """)
        expect(
            text,
            contains: [
                // The model merges `allOf`: one object, the parent's properties with every part's `required`.
                "    Child: {\n      id: string;\n      kind?: string;\n      extra?: string;\n    };\n",
                "    Either: components[\"schemas\"][\"Base\"] | string;\n", "    Primitive: string | number;\n",
                // `anyOf` beside properties: the value is both, as JSON Schema (and Swift) reads it.
                "    Loose: {\n      a?: string;\n    } & components[\"schemas\"][\"Base\"];\n", "    Pair: (string | number)[];\n",
            ])
    }

    @Test func typeArraysAndConstants() {
        let text = schemaFile(
            """
            Values:
              type: object
              properties:
                maybe: {type: [string, 'null']}
                several: {type: [string, integer, boolean]}
                fixed: {const: 42}
                tuple: {type: array, prefixItems: [{type: string}, {type: number}]}
                never: false
            """, version: "3.1.0")
        expect(
            text,
            contains: [
                // The model orders a type array's variants as Swift decodes them, narrowest first.
                "      maybe?: string | null;\n", "      several?: boolean | number | string;\n", "      fixed?: 42;\n",
                // A tuple types each position (none required without `minItems`); a `false`
                // property may never be present.
                "      tuple?: [\n        string?,\n        number?,\n        ...unknown[]\n      ];\n", "      never?: never;\n",
            ])
    }

    @Test func keysAreQuotedOnlyWhenNeeded() {
        let text = schemaFile(
            """
            Keys:
              type: object
              properties:
                plain: {type: string}
                a-b: {type: string}
                '200': {type: string}
                '007': {type: string}
                $ref: {type: string}
                1a: {type: string}
                delete: {type: string}
                'say "hi"': {type: string}
            """)
        expect(
            text,
            contains: [
                "      plain?: string;\n", "      \"a-b\"?: string;\n", "      200?: string;\n", "      \"007\"?: string;\n",
                "      $ref?: string;\n", "      \"1a\"?: string;\n", "      delete?: string;\n", "      \"say \\\"hi\\\"\"?: string;\n",
            ])
    }

    @Test func docCommentsFollowOpenAPITypeScript() {
        let text = schemaFile(
            """
            Documented:
              type: object
              title: A title
              description: "Line one\\nline two */ end"
              properties:
                settings:
                  type: object
                  default: {a: [1, 2]}
                  additionalProperties: {type: integer}
                  deprecated: true
            """)
        expect(
            text,
            contains: [
                // The title first, as a plain line, then the description.
                "    /**\n     * A title\n     * @description Line one\n     *     line two *\\/ end\n     */\n    Documented: {\n",
                "      /**\n       * @deprecated\n       * @default {\n       *       \"a\": [\n       *         1,\n       *         2\n       *       ]\n       *     }\n       */\n      settings?: {\n",
            ])
    }

    /// In a type only the server sends, a property whose default the server applies is always
    /// there: required (issue 11; see `PartialUpdateSnippetTests` for the types sent both ways).
    @Test func defaultsAreRequiredInServerSentTypes() {
        let text = schemaFile(
            "{}",
            paths: """
                {/things: {get: {operationId: readThing, responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {size: {type: integer, default: 1}}}}}}}}}}
                """)
        expect(text, contains: ["/** @default 1 */\n", "size: number;\n"])
    }

    /// Defaults do not make request-body and parameter properties required.
    @Test func defaultsStayOptionalInRequestBodies() {
        let text = schemaFile(
            "{}",
            paths: """
                {/things: {post: {operationId: makeThing, requestBody: {content: {application/json: {schema: {type: object, properties: {size: {type: integer, default: 1}}}}}}, responses: {'204': {description: done}}}}}
                """)
        expect(text, contains: ["          /** @default 1 */\n          size?: number;\n", "    requestBody?: {\n"])
    }

    /// `$ref`s into other files: a schema is a named type of the model, written as its alias; a
    /// parameter or a response is written in place (only the entry's components are named).
    @Test func externalReferencesBecomeComponents() throws {
        let files = [
            "/virtual/main.yaml": """
            openapi: 3.0.3
            info: {title: Files, version: '1'}
            paths:
              /pets:
                get:
                  operationId: listPets
                  parameters:
                    - $ref: 'parameters.yaml#/limit'
                  responses:
                    '200':
                      $ref: 'responses/pets.yaml'
            components:
              schemas:
                Local:
                  type: object
                  properties:
                    other: {$ref: 'models.yaml#/Pet'}
                    name: {$ref: '#/components/schemas/Local/properties/title'}
                    title: {type: string}

            """,
            "/virtual/parameters.yaml": "limit: {name: limit, in: query, schema: {type: integer}}\n",
            "/virtual/responses/pets.yaml": """
            description: Pets.
            content:
              application/json:
                schema:
                  type: array
                  items: {$ref: '../models.yaml#/Pet'}

            """,
            "/virtual/models.yaml": "Pet: {type: object, properties: {name: {type: string}}}\n",
        ]
        let spec = SpecLoader(files: .inMemory(files)).load(path: "/virtual/main.yaml")
        #expect(!spec.hasErrors, "\(spec.diagnostics.entries)")
        let text = try #require(TypeScriptTestSupport.emit(spec)["schema.ts"])
        expect(
            text,
            contains: [
                "        limit?: number;\n", "      200: {\n", "\"application/json\": Pet[];\n",
                "      other?: Pet;\n", "      name?: Title;\n", "export type Pet = {\n  name?: string;\n};\n",
                "export type Title = string;\n",
            ])
    }

    /// A schema called `WithRequired` keeps its name (the model merges `allOf`, so there is no
    /// helper to step aside; a lone `allOf` member with only `required` beside it is an alias).
    @Test func schemaOfAHelpersNameKeepsIt() {
        let text = schemaFile(
            """
            Base:
              type: object
              properties: {id: {type: string}}
            WithRequired:
              required: [id]
              allOf: [{$ref: '#/components/schemas/Base'}]
            """)
        expect(
            text,
            contains: [
                "    WithRequired: components[\"schemas\"][\"Base\"];\n",
                "export type WithRequired = components[\"schemas\"][\"WithRequired\"];\n",
            ])
    }

    /// Hoisted inline types get an alias written out, without the `null` their use site adds.
    @Test func hoistedInlineTypesAreSpelledOut() {
        let text = schemaFile(
            """
            Pet:
              type: object
              properties:
                owner:
                  type: object
                  nullable: true
                  properties:
                    address:
                      type: object
                      properties: {city: {type: string}}
                status: {type: string, enum: [a, b]}
            """)
        expect(
            text,
            contains: [
                "      owner?: {\n        address?: {\n          city?: string;\n        };\n      } | null;\n",
                "export type PetOwner = {\n  address?: PetOwnerAddress;\n};\n",
                "export type PetOwnerAddress = {\n  city?: string;\n};\n", "export type PetStatus = \"a\" | \"b\";\n",
            ])
    }
}
