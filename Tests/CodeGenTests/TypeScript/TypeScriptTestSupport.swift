import Foundation
import OpenAPI
import TestProcesses
import Testing

@testable import CodeGen

/// Paths and helpers shared by the TypeScript emitter tests. Fixtures are read by paths
/// relative to this file, since the test target declares no resources.
enum TypeScriptTestSupport {
    /// `Tests/CodeGenTests/TypeScript`, symlinks resolved.
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let fixtures = folder.appendingPathComponent("Fixtures")
    /// The package root, four levels up from this file.
    static let repository = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A frozen copy of the example app's spec: generator tests never read `spec/openapi.yaml`,
    /// which users edit (an edit of the example must not break the generator's tests).
    static let exampleSpec = repository.appendingPathComponent("Tests/CodeGenTests/SQL/Fixtures/example-app.yaml")

    /// The shared corpus: `SPECGEN_CORPUS` (the Makefile sets it), else `<repo>/../shared/corpus`.
    static var corpus: URL {
        if let path = ProcessInfo.processInfo.environment["SPECGEN_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }

    /// `SPECGEN_UPDATE_GOLDEN=1` rewrites golden files instead of comparing against them.
    static var updatesGoldenFiles: Bool { ProcessInfo.processInfo.environment["SPECGEN_UPDATE_GOLDEN"] == "1" }

    /// `SPECGEN_CORPUS_FULL=1` adds the large documents (Stripe, Box, Discourse, DigitalOcean).
    static var checksFullCorpus: Bool { ProcessInfo.processInfo.environment["SPECGEN_CORPUS_FULL"] == "1" }

    static func load(_ url: URL) -> LoadedSpec {
        SpecLoader().load(path: url.path)
    }

    static func load(_ text: String, path: String = "/virtual/typescript.yaml") -> LoadedSpec {
        SpecLoader(files: .inMemory([path: text])).load(path: path)
    }

    /// The three files for `spec`, by name (`schema.ts`, `client.ts`, `index.ts`).
    static func emit(_ spec: LoadedSpec) -> [String: String] {
        let files = TypeScriptEmitter.emit(APIModel.build(from: spec))
        var byName: [String: String] = [:]
        for file in files { byName[String(file.path.split(separator: "/").last!)] = file.contents }
        return byName
    }

    /// The files for `spec` and the model's diagnostics (those of `x-websockets` among them).
    static func generate(_ spec: LoadedSpec) -> (files: [GeneratedFile], diagnostics: [Diagnostic]) {
        let model = APIModel.build(from: spec)
        return (TypeScriptEmitter.emit(model), model.diagnostics)
    }

    /// Only the `schema.ts` of a small document given inline.
    static func schema(_ text: String) -> String {
        let spec = load(text)
        #expect(!spec.hasErrors, "the test document does not load: \(spec.diagnostics.entries)")
        return emit(spec)["schema.ts"] ?? ""
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// Compares `actual` with the golden file `name`, or rewrites it under `SPECGEN_UPDATE_GOLDEN=1`.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = fixtures.appendingPathComponent(name)
        if updatesGoldenFiles {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if let difference = firstDifference(actual, expected) {
            Issue.record(
                "\(name) differs from the golden file (run with SPECGEN_UPDATE_GOLDEN=1 to accept): \(difference)",
                sourceLocation: sourceLocation)
        }
    }

    /// The first differing line, so a failure says where instead of printing two files.
    static func firstDifference(_ actual: String, _ expected: String) -> String? {
        guard actual != expected else { return nil }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<end of file>"
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<end of file>"
            if got != want { return "line \(index + 1): got `\(got)`, expected `\(want)`" }
        }
        return "the files differ in line endings"
    }

    // MARK: Folders and tools

    /// A fresh folder under the system's temporary directory.
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("specgen-typescript-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes each file into `folder` (created on the way).
    static func write(_ files: [String: String], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    /// The executable `name` on `PATH`.
    static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments` in `folder`, both output streams collected.
    static func run(_ tool: URL, _ arguments: [String], in folder: URL) async throws -> ToolRun.Result {
        try await ToolRun.run(tool.path, arguments, in: folder)
    }

    /// The compiler flags the generated code must pass with.
    static let typeCheckArguments = [
        "--strict", "--noEmit", "--target", "es2022", "--lib", "es2022,dom", "--skipLibCheck", "false",
    ]

    /// `tsc` on `PATH`; records a failure naming how to install it when it is missing, since a
    /// skipped type check would look like a passing one.
    static func typeScriptCompiler(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> URL? {
        if let tsc = executable("tsc") { return tsc }
        Issue.record(
            "tsc was not found on PATH: the generated TypeScript cannot be type-checked. Install it with `apt-get install node-typescript` (or `make deps`).",
            sourceLocation: sourceLocation)
        return nil
    }

    /// Type-checks `roots` (paths relative to `folder`) in one `tsc` run; a failure carries
    /// tsc's own messages.
    @discardableResult
    static func expectTypeChecks(
        _ roots: [String], in folder: URL, label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> Double? {
        guard let tsc = typeScriptCompiler(sourceLocation: sourceLocation) else { return nil }
        let result = try await run(tsc, typeCheckArguments + roots, in: folder)
        if result.status != 0 {
            let output = result.output.count > 6000 ? String(result.output.prefix(6000)) + "\n…" : result.output
            Issue.record(
                "tsc rejects the TypeScript generated for \(label) (exit \(result.status)):\n\(output)",
                sourceLocation: sourceLocation)
        }
        return result.seconds
    }
}
