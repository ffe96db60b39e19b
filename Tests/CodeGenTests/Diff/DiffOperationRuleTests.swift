import Testing

@testable import CodeGen

/// Paths, operations and deprecations.
@Suite struct DiffOperationRuleTests {
    static let ok = "responses: {'200': {description: ok}}"

    @Test func removedOperationBreaksClients() {
        let snippet = DiffSnippet(
            old: Snippet.document(paths: "/a:\n  get: {\(Self.ok)}\n/b:\n  get: {\(Self.ok)}"),
            new: Snippet.document(paths: "/a:\n  get: {\(Self.ok)}\n/c:\n  post: {\(Self.ok)}"))
        snippet.expect("operation-removed", client: .breaking)
        snippet.expect("operation-added", client: .info)
        #expect(snippet.change("operation-removed")?.operation == "GET /b")
        // A removal is located in the old document.
        #expect(snippet.change("operation-removed")?.location.file == DiffSnippet.oldPath)
        #expect(snippet.change("operation-added")?.location.file == DiffSnippet.newPath)
    }

    @Test func removingADeprecatedOperationAfterItsSunsetIsNotBreaking() {
        let old = Snippet.document(
            paths: """
                /a:
                  get: {deprecated: true, x-sunset: '2026-01-31', \(Self.ok)}
                /b:
                  get: {deprecated: true, \(Self.ok)}
                /c:
                  get: {deprecated: true, x-sunset: '2027-01-01', \(Self.ok)}
                """)
        let snippet = DiffSnippet(old: old, new: Snippet.document(), today: "2026-06-01")
        #expect(snippet.ids == ["deprecated-operation-removed", "deprecated-operation-removed", "operation-removed-before-sunset"])
        snippet.expect("deprecated-operation-removed", client: .info)
        snippet.expect("operation-removed-before-sunset", client: .breaking)
    }

    @Test func deprecatingAnOperationAndMovingItsSunsetEarlier() {
        let snippet = DiffSnippet(
            old: Snippet.document(paths: "/a:\n  get: {\(Self.ok)}\n/b:\n  get: {deprecated: true, x-sunset: '2027-06-01', \(Self.ok)}"),
            new: Snippet.document(
                paths: "/a:\n  get: {deprecated: true, \(Self.ok)}\n/b:\n  get: {deprecated: true, x-sunset: '2026-07-01', \(Self.ok)}"))
        snippet.expect("operation-deprecated", client: .info)
        snippet.expect("operation-sunset-moved-earlier", client: .warning)
    }

    @Test func renamedOperationIdRenamesTheGeneratedFunction() {
        let snippet = DiffSnippet(
            old: Snippet.document(paths: "/a:\n  get: {operationId: readA, \(Self.ok)}"),
            new: Snippet.document(paths: "/a:\n  get: {operationId: getA, \(Self.ok)}"))
        snippet.expect("operation-id-changed", client: .warning)
    }

    /// `/items/{id}` and `/items/{itemId}` are one path: a note, not a removal and an addition.
    @Test func renamedPathParameterIsTheSamePath() {
        let snippet = DiffSnippet(
            old: Snippet.document(
                paths:
                    "/items/{id}:\n  get:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    \(Self.ok)"),
            new: Snippet.document(
                paths:
                    "/items/{itemId}:\n  get:\n    parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]\n    \(Self.ok)"
            ))
        #expect(snippet.ids == ["path-parameter-renamed"])
        snippet.expect("path-parameter-renamed", client: .info)
    }
}
