import OpenAPI
import Testing

@testable import CodeGen

/// A few lines of YAML in, one stage's output out: the reference-test style of
/// swift-openapi-generator. Each test states the construct it covers and the exact lines it
/// expects, so a failure names the construct rather than a golden file.
struct Snippet {
    static let path = "/snippet/openapi.yaml"

    let spec: LoadedSpec

    /// `yaml` is a whole document; `Snippet.document(...)` writes the usual head for one.
    init(_ yaml: String) {
        spec = SpecLoader(files: .inMemory([Self.path: yaml])).load(path: Self.path)
    }

    /// A 3.1 document with `schemas` (indented as under `components/schemas`) and `paths`.
    static func document(schemas: String = "", paths: String = "", version: String = "3.1.0") -> String {
        var text = "openapi: \(version)\ninfo: {title: Snippet, version: '1'}\n"
        text += paths.isEmpty ? "paths: {}\n" : "paths:\n" + indented(paths, by: 2)
        if !schemas.isEmpty { text += "components:\n  schemas:\n" + indented(schemas, by: 4) }
        return text
    }

    private static func indented(_ text: String, by count: Int) -> String {
        let pad = String(repeating: " ", count: count)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n") + "\n"
    }

    var model: APIModel { APIModel.build(from: spec) }

    /// The named type `name` of the model.
    func type(_ name: String) -> NamedType? { model.type(named: name) }

    /// Every Swift file's text, joined.
    var swift: String {
        SwiftEmitter().emit(model).map(\.contents).joined(separator: "\n")
    }

    /// Every `Database/` file's text, joined, and the emitter's diagnostics.
    var database: (text: String, diagnostics: [String]) {
        let emitted = DatabaseEmitter().emit(model)
        return (emitted.files.map(\.contents).joined(separator: "\n"), emitted.diagnostics.map(\.description))
    }

    /// `schema.ts`.
    var typeScript: String {
        TypeScriptEmitter.emit(model).first { $0.path.hasSuffix("/schema.ts") }?.contents ?? ""
    }

    /// The warnings and errors of loading and model building, as compilers print them.
    var diagnostics: [String] {
        (spec.diagnostics.entries + model.diagnostics).map(\.description)
    }
}

/// `text` holds every line of `expected` in order (each trimmed; other lines may come between).
func expectLines(
    _ text: String, _ expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    var position = 0
    for line in expected {
        guard let found = lines[position...].firstIndex(of: line) else {
            let nearby = lines.filter { $0.contains(line.prefix(12)) }.prefix(3)
            Issue.record(
                "missing line `\(line)`\(nearby.isEmpty ? "" : "; similar: " + nearby.map { "`\($0)`" }.joined(separator: ", "))",
                sourceLocation: sourceLocation)
            return
        }
        position = found + 1
    }
}

/// `text` has no line containing `fragment`.
func expectNoLine(_ text: String, containing fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let hits = text.split(separator: "\n").filter { $0.contains(fragment) }
    #expect(hits.isEmpty, "unexpected: \(hits.map { "`\($0)`" }.joined(separator: ", "))", sourceLocation: sourceLocation)
}
