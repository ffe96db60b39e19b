import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Paths and helpers shared by the SQL emitter tests. Fixtures are read by paths relative to
/// this file, since the test target declares no resources.
enum SQLTestSupport {
    /// `Tests/CodeGenTests/SQL`, symlinks resolved.
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let fixtures = folder.appendingPathComponent("Fixtures")
    /// The package root, four levels up from this file.
    static let repository = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A frozen copy of the example app's spec: generator tests never read `spec/openapi.yaml`,
    /// which users edit (an edit of the example must not break the generator's tests).
    static let exampleSpec = repository.appendingPathComponent("Tests/CodeGenTests/SQL/Fixtures/example-app.yaml")

    /// The path in-memory documents are loaded under; diagnostics name it.
    static let virtualPath = "/virtual/sql.yaml"

    static func load(_ text: String, path: String = virtualPath) -> LoadedSpec {
        SpecLoader(files: .inMemory([path: text])).load(path: path)
    }

    /// A minimal 3.1 document whose `components.schemas` is `schemas` (written at column 0;
    /// indented here).
    static func document(schemas: String, version: String = "3.1.0") -> String {
        let indented = schemas.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
        return """
            openapi: \(version)
            info:
              title: SQL test
              version: '1'
            paths: {}
            components:
              schemas:
            \(indented)

            """
    }

    static func spec(schemas: String) -> LoadedSpec {
        let spec = load(document(schemas: schemas))
        #expect(!spec.hasErrors, "the test document does not load: \(spec.diagnostics.entries)")
        return spec
    }

    static func tables(_ schemas: String) -> (tables: [SQLTable], diagnostics: [Diagnostic]) {
        SQLTableBuilder.build(spec(schemas: schemas))
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// The previous state a caller would read back after writing `files`.
    static func state(after files: [GeneratedFile]) -> SQLState {
        SQLState(
            lock: files.first { $0.path == SQLEmitter.lockPath }?.contents,
            migrations: files.filter { $0.path.hasPrefix(SQLEmitter.migrationsFolder + "/") }.map {
                SQLMigrationFile(name: String($0.path.dropFirst(SQLEmitter.migrationsFolder.count + 1)), contents: $0.contents)
            })
    }

    static func file(_ path: String, in files: [GeneratedFile]) -> String? {
        files.first { $0.path == path }?.contents
    }

    static func migrations(in files: [GeneratedFile]) -> [GeneratedFile] {
        files.filter { $0.path.hasPrefix(SQLEmitter.migrationsFolder + "/") }
    }

    static func errors(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.filter { $0.severity == .error }
    }

    /// Line-by-line comparison that names the first differing line, so a golden failure
    /// says where instead of printing two walls of text.
    static func firstDifference(_ actual: String, _ expected: String) -> String? {
        guard actual != expected else { return nil }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for line in 0..<max(a.count, e.count) {
            let left = line < a.count ? String(a[line]) : "<end of file>"
            let right = line < e.count ? String(e[line]) : "<end of file>"
            if left != right { return "line \(line + 1):\n  actual:   \(left)\n  expected: \(right)" }
        }
        return "the texts differ in line endings"
    }
}

extension SQLEmitter {
    /// The emitter as generation runs it (through the model), with the table diagnostics the
    /// model collected for it: the SQL tests state their cases as specs.
    static func emit(
        spec: LoadedSpec, previous: SQLState?, allowDestructive: Bool = false
    ) -> (files: [GeneratedFile], diagnostics: [Diagnostic]) {
        let model = APIModel.build(from: spec)
        let tableDiagnostics = spec.hasErrors ? [] : SQLTableBuilder.build(spec).diagnostics
        let emitted = emit(model: model, previous: previous, allowDestructive: allowDestructive)
        return (emitted.files, tableDiagnostics + emitted.diagnostics)
    }
}
