import Foundation
import Testing

@testable import OpenAPI

/// `x-default-responses`: shared responses stated once, at the root or on a tag, and added to
/// every operation that does not declare the code, in the decoded model and in the bundle.
@Suite struct DefaultResponsesTests {
    static let document = """
        openapi: 3.1.0
        info: {title: Defaults, version: '1'}
        x-default-responses:
          '401': {$ref: '#/components/responses/Unauthorized'}
          '422': {description: Validation error}
        tags:
          - name: admin
            x-default-responses:
              '401': {description: Admins only}
              '403': {description: Forbidden}
        paths:
          /items:
            get:
              operationId: listItems
              responses:
                '200': {description: ok}
                '422': {description: Its own 422}
            post:
              operationId: createItem
              tags: [admin]
              responses:
                '201': {description: created}
          /health:
            get:
              operationId: health
              x-default-responses: false
              responses:
                '200': {description: ok}
        components:
          responses:
            Unauthorized: {description: Not authenticated}
        """

    static func operation(_ spec: LoadedSpec, _ path: String, _ method: OpenAPI.HTTPMethod) throws -> OpenAPI.Operation {
        let item = try #require(spec.document?.paths[path]?.value)
        return try #require(item.operation(method))
    }

    @Test func everyOperationGetsTheCodesItDoesNotDeclare() throws {
        let spec = loadInMemory(Self.document)
        expectNoDiagnostics(spec)
        let list = try Self.operation(spec, "/items", .get)
        #expect(Array(list.responses.keys) == ["200", "422", "401"])
        #expect(list.responses["422"]?.value?.description == "Its own 422")
        // A tag's defaults replace the root's for the same code and add their own.
        let create = try Self.operation(spec, "/items", .post)
        #expect(Array(create.responses.keys) == ["201", "401", "422", "403"])
        #expect(create.responses["401"]?.value?.description == "Admins only")
        // An operation that opts out gets none.
        #expect(Array(try Self.operation(spec, "/health", .get).responses.keys) == ["200"])
    }

    @Test func theBundleListsThemPerOperation() throws {
        let spec = loadInMemory(Self.document)
        let bundled = Bundler.bundle(spec, files: .inMemory(["/virtual/openapi.yaml": Self.document]))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bundled.utf8)) as? [String: Any])
        let paths = try #require(json["paths"] as? [String: [String: [String: Any]]])
        func codes(_ path: String, _ method: String) throws -> Set<String> {
            Set(try #require(paths[path]?[method]?["responses"] as? [String: Any]).keys)
        }
        #expect(try codes("/items", "get") == ["200", "422", "401"])
        #expect(try codes("/items", "post") == ["201", "401", "422", "403"])
        #expect(try codes("/health", "get") == ["200"])
        let create = try #require(paths["/items"]?["post"]?["responses"] as? [String: [String: Any]])
        #expect(create["401"]?["description"] as? String == "Admins only")
        let list = try #require(paths["/items"]?["get"]?["responses"] as? [String: [String: Any]])
        #expect(list["401"]?["$ref"] as? String == "#/components/responses/Unauthorized")
        #expect(list["422"]?["description"] as? String == "Its own 422")
        // The bundle reads back to the same operations.
        let reread = loadInMemory(bundled, path: "/virtual/bundled.json")
        #expect(Array(try Self.operation(reread, "/items", .post).responses.keys).sorted() == ["201", "401", "403", "422"])
    }

    /// Webhooks describe requests this API sends, and a path item given by `$ref` is shared with
    /// whatever else refers to it: neither gets the defaults, in the model or the bundle, and the
    /// `$ref` says so with a warning.
    @Test func webhooksAndReferencedPathItemsKeepTheirOwnResponses() throws {
        let text = """
            openapi: 3.1.0
            info: {title: Defaults, version: '1'}
            x-default-responses:
              '503': {description: Unavailable}
            paths:
              /own:
                get:
                  responses: {'200': {description: ok}}
              /shared:
                $ref: '#/components/pathItems/Shared'
            webhooks:
              itemCreated:
                post:
                  responses: {'200': {description: received}}
            components:
              pathItems:
                Shared:
                  get:
                    responses: {'200': {description: ok}}
            """
        let spec = loadInMemory(text)
        expectDiagnostic(
            spec, .warning, line: 10, column: 11, containing: "x-default-responses is not added to the operations of path '/shared'")
        #expect(Array(try Self.operation(spec, "/own", .get).responses.keys) == ["200", "503"])
        let webhook = try #require(spec.document?.webhooks["itemCreated"]?.value?.operation(.post))
        #expect(Array(webhook.responses.keys) == ["200"])

        let bundled = Bundler.bundle(spec, files: .inMemory(["/virtual/openapi.yaml": text]))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bundled.utf8)) as? [String: Any])
        func codes(_ object: Any?, _ keys: [String]) -> Set<String>? {
            var current = object
            for key in keys { current = (current as? [String: Any])?[key] }
            return (current as? [String: Any]).map { Set($0.keys) }
        }
        #expect(codes(json, ["paths", "/own", "get", "responses"]) == ["200", "503"])
        #expect(codes(json, ["webhooks", "itemCreated", "post", "responses"]) == ["200"])
        #expect(codes(json, ["components", "pathItems", "Shared", "get", "responses"]) == ["200"])
    }

    @Test func badDefaultsAreReportedWhereTheyStand() {
        let spec = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: Bad, version: '1'}
            x-default-responses: [401]
            tags:
              - name: t
                x-default-responses:
                  '4OO': {description: typo}
            paths:
              /a:
                get:
                  tags: [t]
                  x-default-responses: true
                  responses:
                    '200': {description: ok}
            """)
        expectDiagnostic(spec, .error, line: 3, column: 22, containing: "x-default-responses must map response codes")
        expectDiagnostic(spec, .error, line: 7, column: 7, containing: "'4OO' is not a response code")
        expectDiagnostic(spec, .warning, line: 11, column: 7, containing: "x-default-responses on an operation can only be false")
    }
}
