import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// The three output formats and the exit statuses of `specgen diff`.
@Suite struct DiffOutputTests {
    static let old = DiffSnippet.items("type: object\nrequired: [id]\nproperties: {id: {type: string}, note: {type: string}}")
    static let new = DiffSnippet.items("type: object\nproperties: {id: {type: string}, note: {type: string, maxLength: 20}}")

    static func run(_ old: String, _ new: String, format: DiffRun.Format = .text) -> DiffRun.Outcome {
        let loader = SpecLoader(files: .inMemory([DiffSnippet.oldPath: old, DiffSnippet.newPath: new]))
        return DiffRun(
            old: .file(DiffSnippet.oldPath), new: .file(DiffSnippet.newPath), specPath: DiffSnippet.newPath, format: format,
            options: DiffOptions(today: "2026-06-01"), loader: loader
        ).run()
    }

    @Test func compilerFormat() {
        let outcome = Self.run(Self.old, Self.new)
        #expect(outcome.exitCode == 1)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        // file:line:column: severity: operation: message (verdict) [rule-id]
        #expect(
            lines.contains {
                $0.hasPrefix("/snippet/new.yaml:")
                    && $0.hasSuffix(
                        ": error: POST /items: response 200 (application/json) property 'id': became optional (breaking for clients) [response-property-became-optional]"
                    )
            }, "\(lines)")
        #expect(
            lines.contains {
                $0.hasSuffix(
                    ": note: POST /items: request body (application/json) property 'id': became optional (not breaking) [request-property-became-optional]"
                )
            }, "\(lines)")
        #expect(lines.last == "4 changes: 2 breaking for clients, 1 breaking for the server, 0 warnings")
    }

    @Test func jsonFormat() throws {
        let outcome = Self.run(Self.old, Self.new, format: .json)
        let object = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any]
        let changes = object?["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 4)
        let first = changes.first { $0["rule"] as? String == "response-property-max-length-decreased" }
        #expect(first?["client"] as? String == "info")
        #expect(first?["server"] as? String == "breaking")
        #expect(first?["severity"] as? String == "error")
        #expect(first?["operation"] as? String == "POST /items")
        #expect(first?["file"] as? String == DiffSnippet.newPath)
        #expect((first?["line"] as? Int ?? 0) > 0)
        let summary = object?["summary"] as? [String: Int]
        #expect(summary?["breakingForClients"] == 2)
    }

    @Test func markdownFormat() {
        let outcome = Self.run(Self.old, Self.new, format: .markdown)
        expectLines(
            outcome.output,
            [
                "## API changes",
                "### Breaking for clients",
                "- `POST /items`: response 200 (application/json) property 'id': became optional `response-property-became-optional`",
                "### Breaking for the server",
                "- `POST /items`: response 200 (application/json) property 'note': maxLength changed from none to 20 `response-property-max-length-decreased`",
                "### Other changes",
            ])
    }

    @Test func identicalDocumentsHaveNoChanges() {
        let outcome = Self.run(Self.old, Self.old)
        #expect(outcome.exitCode == 0)
        #expect(outcome.output == "no changes\n")
    }

    @Test func nonBreakingChangesExitZero() {
        let outcome = Self.run(
            Self.old,
            DiffSnippet.items("type: object\nrequired: [id]\nproperties: {id: {type: string}, note: {type: string}, more: {type: string}}"))
        #expect(outcome.exitCode == 0)
        #expect(outcome.report?.changes.count == 2)
    }

    /// An invalid document is not compared: its lint diagnostics and exit status 2.
    @Test func invalidDocumentExitsTwo() {
        let broken = Self.new.replacingOccurrences(of: "#/components/schemas/Item", with: "#/components/schemas/Missing")
        let outcome = Self.run(Self.old, broken)
        #expect(outcome.exitCode == 2)
        #expect(outcome.output.isEmpty)
        #expect(outcome.errors.contains { $0.hasPrefix("/snippet/new.yaml:") && $0.contains(": error: ") }, "\(outcome.errors)")
        #expect(outcome.errors.last?.hasSuffix("; not compared") == true)
        let unparsable = Self.run("openapi: [", Self.new)
        #expect(unparsable.exitCode == 2)
    }

    @Test func missingFileExitsTwo() {
        let loader = SpecLoader(files: .inMemory([DiffSnippet.newPath: Self.new]))
        let outcome = DiffRun(
            old: .file("/snippet/nowhere.yaml"), new: .file(DiffSnippet.newPath), specPath: DiffSnippet.newPath, loader: loader
        ).run()
        #expect(outcome.exitCode == 2)
    }

    @Test func sourceArguments() {
        #expect(SpecSource(argument: "spec/openapi.yaml") == .file("spec/openapi.yaml"))
        #expect(SpecSource(argument: "git:HEAD~3") == .git(revision: "HEAD~3", path: nil))
        #expect(SpecSource(argument: "git:main:api/openapi.yaml") == .git(revision: "main", path: "api/openapi.yaml"))
    }
}
