import Testing

@testable import CodeGen

/// Paths, operations, deprecations and callbacks.
@Suite struct DiffOperationRuleTests {
    static let ok = "responses: {'200': {description: ok}}"

    static func row(
        _ name: String, _ old: String, _ new: String, exactIDs: [String]? = nil, _ expected: DiffCase.Expectation...
    ) -> DiffCase {
        DiffCase(name: name, old: Snippet.document(paths: old), new: Snippet.document(paths: new), expected: expected, exactIDs: exactIDs)
    }

    /// `POST /subscriptions` with a callback whose body's `kind` is one of `values`.
    static func callback(_ values: String) -> String {
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

    static let cases: [DiffCase] = [
        row(
            "an operation removed and one added", "/a:\n  get: {\(ok)}\n/b:\n  get: {\(ok)}", "/a:\n  get: {\(ok)}\n/c:\n  post: {\(ok)}",
            .rule("operation-removed", .breaking), .rule("operation-added", .info)),
        row(
            "deprecated operations removed, before and after their sunset",
            """
            /a:
              get: {deprecated: true, x-sunset: '2026-01-31', \(ok)}
            /b:
              get: {deprecated: true, \(ok)}
            /c:
              get: {deprecated: true, x-sunset: '2027-01-01', \(ok)}
            """, "",
            exactIDs: ["deprecated-operation-removed", "deprecated-operation-removed", "operation-removed-before-sunset"],
            .rule("deprecated-operation-removed", .info), .rule("operation-removed-before-sunset", .breaking)),
        row(
            "an operation deprecated and a sunset moved earlier",
            "/a:\n  get: {\(ok)}\n/b:\n  get: {deprecated: true, x-sunset: '2027-06-01', \(ok)}",
            "/a:\n  get: {deprecated: true, \(ok)}\n/b:\n  get: {deprecated: true, x-sunset: '2026-07-01', \(ok)}",
            .rule("operation-deprecated", .info), .rule("operation-sunset-moved-earlier", .warning)),
        row(
            "an operation no longer deprecated", "/a:\n  get: {deprecated: true, \(ok)}", "/a:\n  get: {\(ok)}",
            .rule("operation-no-longer-deprecated", .info)),
        row(
            "a renamed operationId renames the generated function", "/a:\n  get: {operationId: readA, \(ok)}",
            "/a:\n  get: {operationId: getA, \(ok)}", .rule("operation-id-changed", .warning)),
        // `/items/{id}` and `/items/{itemId}` are one path: a note, not a removal and an addition.
        row(
            "a renamed path parameter is the same path",
            "/items/{id}:\n  get:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    \(ok)",
            "/items/{itemId}:\n  get:\n    parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]\n    \(ok)",
            exactIDs: ["path-parameter-renamed"], .rule("path-parameter-renamed", .info)),
        // Callbacks are requests the server sends, compared like webhooks.
        DiffCase(
            name: "a callback body flows to the client", old: callback("a, b"), new: callback("a, b, c"),
            expected: [.rule("callback-request-property-enum-value-added", .breaking)]),
        DiffCase(
            name: "a callback body narrowed breaks the server", old: callback("a, b"), new: callback("a"),
            expected: [.rule("callback-request-property-enum-value-removed", .info, .breaking)]),
    ]

    @Test(arguments: cases) func rule(_ row: DiffCase) { row.check() }

    /// A removal is located in the old document, an addition in the new; both name the operation.
    @Test func removalsAreLocatedInTheOldDocument() {
        let snippet = DiffSnippet(
            old: Snippet.document(paths: "/a:\n  get: {\(Self.ok)}\n/b:\n  get: {\(Self.ok)}"),
            new: Snippet.document(paths: "/a:\n  get: {\(Self.ok)}\n/c:\n  post: {\(Self.ok)}"))
        #expect(snippet.change("operation-removed")?.operation == "GET /b")
        #expect(snippet.change("operation-removed")?.location.file == DiffSnippet.oldPath)
        #expect(snippet.change("operation-added")?.location.file == DiffSnippet.newPath)
    }

    @Test func callbackChangesNameTheirCallback() {
        let snippet = DiffSnippet(old: Self.callback("a, b"), new: Self.callback("a, b, c"))
        #expect(
            snippet.change("callback-request-property-enum-value-added")?.operation
                == "POST /subscriptions callback event {$request.body#/url} POST")
    }
}
