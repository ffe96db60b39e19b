import Testing

@testable import CodeGen

/// Operations: inputs, outputs and their Swift cases.
@Suite struct OperationSnippetTests {
    /// A `default` response without content declares and matches the same associated values.
    @Test func defaultResponseWithoutContentCompiles() {
        let snippet = Snippet(
            Snippet.document(
                paths: """
                    /ping:
                      get:
                        operationId: ping
                        responses:
                          '200': {description: ok}
                          default: {description: Unexpected error}
                    """))
        expectLines(
            snippet.swift,
            [
                "case ok(headers: HTTPFields = [:])",
                "case `default`(status: Int, headers: HTTPFields = [:])",
                "case .ok(let headers): return APIResponse.empty(status: .init(code: 200), headers: headers)",
                "case .`default`(let status, let headers): return APIResponse.empty(status: .init(code: status), headers: headers)",
            ])
    }

    /// A secured operation names itself to the security handler: by its `operationId`, else by
    /// its method and path, and a quote in the ID stays inside the literal.
    @Test func securedOperationsNameThemselvesToTheSecurityHandler() {
        let snippet = Snippet(
            Snippet.document(
                paths: """
                    /notes/{id}:
                      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                      get:
                        operationId: 'read "note"'
                        security: [{bearer: []}]
                        responses: {'200': {description: ok}}
                      delete:
                        security: [{bearer: []}]
                        responses: {'204': {description: gone}}
                      put:
                        operationId: replaceNote
                        responses: {'204': {description: replaced}}
                    """))
        expectLines(
            snippet.swift,
            [
                #"public static let operationID = "read \"note\"""#,
                "request, requirements: Self.security, operationID: Self.operationID, logger: context.logger)",
            ])
        expectLines(snippet.swift, [#"public static let operationID = "DELETE /notes/{id}""#])
        // A public operation asks no handler, so it carries no ID.
        expectNoLine(snippet.swift, containing: #"operationID = "replaceNote""#)
    }

    /// A media type's parameters (`charset`) do not change its kind: `application/json;
    /// charset=utf-8` is JSON, typed by its schema (it was read as raw bytes).
    @Test func mediaTypeParametersKeepTheKind() {
        let snippet = Snippet(
            Snippet.document(
                paths: """
                    /things:
                      post:
                        operationId: createThing
                        requestBody: {content: {'application/json; charset=utf-8': {schema: {type: object, properties: {a: {type: string}}}}}}
                        responses:
                          '200': {description: ok, content: {'Application/JSON ; charset=utf-8': {schema: {type: integer}}}}
                    """))
        let operation = snippet.model.operations.first
        #expect(operation?.requestBody?.contents.first?.kind == .json)
        #expect(operation?.requestBody?.contents.first?.type.namedType != nil)
        #expect(operation?.responses.first?.contents.first?.kind == .json)
        #expect(operation?.responses.first?.contents.first?.type == .primitive(.integer))
    }

    /// What no generated code sends or serves is said, not dropped in silence: callbacks and
    /// 3.2's `additionalOperations` get a warning at their operation.
    @Test func callbacksAndAdditionalOperationsAreWarnedAbout() {
        let snippet = Snippet(
            Snippet.document(
                paths: """
                    /subscriptions:
                      post:
                        operationId: subscribe
                        callbacks:
                          onEvent:
                            '{$request.body#/url}':
                              post:
                                responses: {'200': {description: ok}}
                        responses: {'201': {description: created}}
                      additionalOperations:
                        COPY:
                          responses: {'200': {description: ok}}
                    """, version: "3.2.0"))
        let warnings = snippet.diagnostics.filter { $0.contains("warning") }
        #expect(warnings.contains { $0.contains("callback 'onEvent' is not generated") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("the COPY operation of '/subscriptions'") }, "\(warnings)")
        #expect(warnings.allSatisfy { $0.hasPrefix(Snippet.path + ":") }, "\(warnings)")
    }

    /// Declared response headers are typed per response; undeclared ones still pass through.
    @Test func declaredResponseHeadersAreTyped() {
        let snippet = Snippet(
            Snippet.document(
                paths: """
                    /things:
                      get:
                        operationId: listThings
                        responses:
                          '200':
                            description: ok
                            headers:
                              X-Total-Count: {required: true, schema: {type: integer}, description: All things.}
                              ETag: {schema: {type: string}}
                              X-Ids: {schema: {type: array, items: {type: string, format: uuid}}}
                              X-Odd: {schema: {type: object, properties: {a: {type: string}}}}
                            content: {application/json: {schema: {type: array, items: {type: string}}}}
                          '304':
                            description: not modified
                            headers: {ETag: {schema: {type: string}}}
                    """))
        expectLines(
            snippet.swift,
            [
                "case ok([String], headers: OkHeaders)",
                "case notModified(headers: NotModifiedHeaders = .init())",
                "public struct OkHeaders: Sendable {",
                "/// All things.",
                "public var xTotalCount: Int",
                "public var eTag: String?",
                "public var xIds: [UUID]?",
                "public var xOdd: String?",
                "public var other: HTTPFields",
                "public init(xTotalCount: Int, eTag: String? = nil, xIds: [UUID]? = nil, xOdd: String? = nil, other: HTTPFields = [:]) {",
                "var fields = other",
                "fields[HTTPField.Name(\"X-Total-Count\")!] = xTotalCount.headerText",
                "if let eTag { fields[HTTPField.Name(\"ETag\")!] = eTag.headerText }",
                "case .ok(let body, let headers): return try APIResponse.json(body, status: .init(code: 200), headers: headers.fields)",
                "case .notModified(let headers): return APIResponse.empty(status: .init(code: 304), headers: headers.fields)",
            ])
        let warnings = snippet.diagnostics.filter { $0.contains("warning") }
        #expect(
            warnings == [
                "/snippet/openapi.yaml:14:29: warning: response header 'X-Odd' has a schema that is not a scalar, an array of scalars or an enum; it is typed as a string"
            ], "\(warnings)")
    }

    /// Webhooks and their inline schemas get Swift types, as they get TypeScript ones.
    @Test func webhooksAndTheirInlineSchemasReachSwift() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Pet: {type: object, required: [id], properties: {id: {type: integer}}}
                    """,
                paths: "") + """
                    webhooks:
                      newPet:
                        post:
                          summary: A pet was added.
                          requestBody:
                            content:
                              application/json:
                                schema:
                                  type: object
                                  required: [pet]
                                  properties:
                                    pet: {$ref: '#/components/schemas/Pet'}
                                    note: {type: string}
                          responses:
                            '200':
                              description: Received.
                              content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}
                    """)
        #expect(snippet.model.webhooks.map(\.name) == ["newPet"])
        expectLines(
            snippet.swift,
            [
                "public struct NewPetWebhookRequest: Codable, Hashable, Sendable {",
                "public var pet: Pet",
                "public struct NewPetWebhookResponse200: Codable, Hashable, Sendable {",
                "public enum Webhooks {",
                "/// A pet was added.",
                "public enum newPet {",
                "public static let name = \"newPet\"",
                "public static let method = \"POST\"",
                "public typealias Body = NewPetWebhookRequest",
                "public typealias OkResponse = NewPetWebhookResponse200",
            ])
        expectLines(snippet.typeScript, ["export interface webhooks {", "newPet: {"])
    }
}
