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
