import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `client.ts` choices that the golden file shows only once: names, security and inputs.
@Suite struct TypeScriptClientTests {
    private func client(_ document: String) throws -> String {
        let spec = TypeScriptTestSupport.load(document)
        #expect(!spec.hasErrors, "\(spec.diagnostics.entries)")
        return try #require(TypeScriptTestSupport.emit(spec)["client.ts"])
    }

    @Test func methodNamesAvoidTheClientsOwnMembers() throws {
        let text = try client(
            """
            openapi: 3.1.0
            info: {title: Names, version: '1'}
            paths:
              /a: {get: {operationId: constructor, responses: {'204': {description: ok}}}}
              /b: {get: {operationId: setToken, responses: {'204': {description: ok}}}}
              /c: {get: {operationId: new, responses: {'204': {description: ok}}}}

            """)
        #expect(text.contains("  async constructorOperation(input: ConstructorInput = {}): Promise<ConstructorResult> {\n"))
        #expect(text.contains("  async setTokenOperation(input: SetTokenInput = {}): Promise<SetTokenResult> {\n"))
        // A reserved word is a fine method name.
        #expect(text.contains("  async new(input: NewInput = {}): Promise<NewResult> {\n"))
    }

    /// `index.ts` re-exports both files, so the client's names must differ from every schema's.
    @Test func exportedNamesAvoidSchemaNames() throws {
        let text = try client(
            """
            openapi: 3.1.0
            info: {title: Clash, version: '1'}
            paths:
              /a:
                get:
                  operationId: getThing
                  responses:
                    '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/GetThingResult'}}}}
            components:
              schemas:
                ApiClientOptions: {type: string}
                GetThingResult: {type: string}
                HttpStatus: {type: integer}

            """)
        #expect(text.contains("export interface ApiClientOptions2 {\n"))
        #expect(text.contains("export type HttpStatus2 = "))
        #expect(
            text.contains("export type GetThingResult2 =\n  | { ok: true; status: 200; data: schema.GetThingResult; response: Response }\n")
        )
        #expect(text.contains("  constructor(options: ApiClientOptions2) {\n"))
    }

    /// Bearer tokens go to operations secured by HTTP bearer, OAuth 2 or OpenID Connect, not to
    /// public ones nor to those secured by an API key only.
    @Test func tokenGoesOnlyWhereABearerSchemeApplies() throws {
        let text = try client(
            """
            openapi: 3.1.0
            info: {title: Security, version: '1'}
            security: [{oauth: []}]
            paths:
              /secured: {get: {operationId: secured, responses: {'204': {description: ok}}}}
              /public: {get: {operationId: open, security: [], responses: {'204': {description: ok}}}}
              /key: {get: {operationId: keyed, security: [{key: []}], responses: {'204': {description: ok}}}}
              /either: {get: {operationId: either, security: [{key: []}, {bearer: []}], responses: {'204': {description: ok}}}}
            components:
              securitySchemes:
                oauth: {type: oauth2, flows: {password: {tokenUrl: /token, scopes: {}}}}
                bearer: {type: http, scheme: bearer}
                key: {type: apiKey, in: header, name: X-Key}

            """)
        func block(_ method: String) -> String {
            guard let start = text.range(of: "  async \(method)(") else { return "" }
            let rest = text[start.lowerBound...]
            return String(rest[..<(rest.range(of: "\n  }\n")?.upperBound ?? rest.endIndex)])
        }
        #expect(block("secured").contains("secured: true,"))
        #expect(!block("open").contains("secured: true,"))
        #expect(!block("keyed").contains("secured: true,"))
        #expect(block("either").contains("secured: true,"))
    }

    @Test func inputIsOptionalOnlyWhenNothingIsRequired() throws {
        let text = try client(
            """
            openapi: 3.1.0
            info: {title: Inputs, version: '1'}
            paths:
              /search:
                get:
                  operationId: search
                  parameters:
                    - {name: q, in: query, required: true, schema: {type: string}}
                  responses: {'204': {description: ok}}
              /list:
                get:
                  operationId: list
                  parameters:
                    - {name: page, in: query, schema: {type: integer}}
                  responses: {'204': {description: ok}}
              /notes:
                post:
                  operationId: note
                  requestBody: {content: {text/plain: {schema: {type: string}}}}
                  responses: {'204': {description: ok}}

            """)
        #expect(text.contains("  query: schema.operations[\"search\"][\"parameters\"][\"query\"];\n"))
        #expect(text.contains("  async search(input: SearchInput): Promise<SearchResult> {\n"))
        #expect(text.contains("  query?: schema.operations[\"list\"][\"parameters\"][\"query\"];\n"))
        #expect(text.contains("  async list(input: ListInput = {}): Promise<ListResult> {\n"))
        #expect(text.contains("  body?: NonNullable<schema.operations[\"note\"][\"requestBody\"]>[\"content\"][\"text/plain\"];\n"))
        #expect(text.contains("      body: { \"text/plain\": \"text\" },\n"))
    }
}
