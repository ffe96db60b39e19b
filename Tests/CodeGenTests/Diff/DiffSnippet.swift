import OpenAPI
import Testing

@testable import CodeGen

/// Two small documents in, the diff's changes out: the snippet style of the generator's tests,
/// for `specgen diff`.
struct DiffSnippet {
    static let oldPath = "/snippet/old.yaml"
    static let newPath = "/snippet/new.yaml"

    let report: DiffReport

    init(old: String, new: String, today: String = "2026-06-01", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let loader = SpecLoader(files: .inMemory([Self.oldPath: old, Self.newPath: new]))
        let oldSpec = loader.load(path: Self.oldPath)
        let newSpec = loader.load(path: Self.newPath)
        #expect(!oldSpec.hasErrors, "old: \(oldSpec.diagnostics.entries.map(\.description))", sourceLocation: sourceLocation)
        #expect(!newSpec.hasErrors, "new: \(newSpec.diagnostics.entries.map(\.description))", sourceLocation: sourceLocation)
        report = SpecDiff.compare(
            old: oldSpec, new: newSpec, oldName: Self.oldPath, newName: Self.newPath, options: DiffOptions(today: today))
    }

    /// `POST /items` reading an `Item` and answering one: a change to `Item` shows on both sides.
    /// `schemas` are other component schemas, beside `Item`.
    static func items(
        _ item: String, schemas: String = "", request: Bool = true, response: Bool = true, version: String = "3.1.0"
    ) -> String {
        var operation = "post:\n  operationId: createItem\n"
        if request {
            operation += "  requestBody:\n    required: true\n"
            operation += "    content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}\n"
        }
        operation += "  responses:\n    '200':\n      description: ok\n"
        if response { operation += "      content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}\n" }
        let indented = operation.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let itemSchema = "Item:\n" + item.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return Snippet.document(
            schemas: itemSchema + (schemas.isEmpty ? "" : "\n" + schemas), paths: "/items:\n" + indented, version: version)
    }

    /// The one operation `GET /things` with `operation` (indented as under the method).
    static func get(_ operation: String, path: String = "/things", schemas: String = "") -> String {
        let body = operation.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
        return Snippet.document(schemas: schemas, paths: "\(path):\n  get:\n" + body.joined(separator: "\n"))
    }

    var ids: [String] { report.changes.map(\.rule.id) }

    func change(_ id: String) -> SpecChange? { report.changes.first { $0.rule.id == id } }

    /// The rule `id` was reported with these impacts.
    func expect(
        _ id: String, client: ChangeImpact, server: ChangeImpact = .info, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let change = change(id) else {
            Issue.record("no \(id); found \(report.changes.map(\.description))", sourceLocation: sourceLocation)
            return
        }
        #expect(change.rule.client == client, "\(change)", sourceLocation: sourceLocation)
        #expect(change.rule.server == server, "\(change)", sourceLocation: sourceLocation)
    }

    /// Nothing breaks, on either side, apart from the rules named.
    func expectNothingElseBreaking(except allowed: Set<String> = [], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let others = report.breaking.filter { !allowed.contains($0.rule.id) }
        #expect(others.isEmpty, "unexpected: \(others.map(\.description))", sourceLocation: sourceLocation)
    }
}

/// One row of a rule table: two documents, the rules the diff must report with their impacts,
/// and optionally that nothing else breaks or the exact rule ids in order.
struct DiffCase: Sendable, CustomTestStringConvertible {
    struct Expectation: Sendable {
        var id: String
        var client: ChangeImpact
        var server: ChangeImpact
    }

    var name: String
    var old: String
    var new: String
    var expected: [Expectation]
    var today = "2026-06-01"
    /// No breaking change but these rules' (`nil`: not checked).
    var nothingElseBreakingExcept: Set<String>?
    /// The report's rule ids, in order (`nil`: not checked).
    var exactIDs: [String]?

    var testDescription: String { name }

    /// `Item` changed from `old` to `new` in `POST /items` (`DiffSnippet.items`).
    static func item(
        _ name: String, _ old: String, _ new: String, schemas: String = "", request: Bool = true, response: Bool = true,
        nothingElseBreaking: Bool = false, _ expected: Expectation...
    ) -> DiffCase {
        DiffCase(
            name: name, old: DiffSnippet.items(old, schemas: schemas, request: request, response: response),
            new: DiffSnippet.items(new, schemas: schemas, request: request, response: response), expected: expected,
            nothingElseBreakingExcept: nothingElseBreaking ? [] : nil)
    }

    func check() {
        let snippet = DiffSnippet(old: old, new: new, today: today)
        for expectation in expected {
            snippet.expect(expectation.id, client: expectation.client, server: expectation.server)
        }
        if let allowed = nothingElseBreakingExcept { snippet.expectNothingElseBreaking(except: allowed) }
        if let exactIDs { #expect(snippet.ids == exactIDs) }
    }
}

extension DiffCase.Expectation {
    /// `rule("request-body-removed", .warning)`: the rule and its impact on clients, then on the server.
    static func rule(_ id: String, _ client: ChangeImpact, _ server: ChangeImpact = .info) -> Self {
        Self(id: id, client: client, server: server)
    }
}
