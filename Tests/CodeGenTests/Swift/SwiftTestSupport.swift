import Foundation
import OpenAPI
import TestProcesses
import Testing

@testable import CodeGen

/// Paths and helpers shared by the Swift emitter tests. Fixtures are read by paths relative to
/// this file, since the test target declares no resources.
enum SwiftTestSupport {
    /// `Tests/CodeGenTests/Swift`, symlinks resolved.
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let fixtures = folder.appendingPathComponent("Fixtures")
    static let goldenFixture = fixtures.appendingPathComponent("golden.yaml")
    /// The committed expected output of `golden.yaml`: `<name>.swift.golden` per generated
    /// `Swift/<name>.swift`.
    static let goldenFolder = fixtures.appendingPathComponent("golden-swift")
    /// The package root, four levels up from this file.
    static let repository = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A frozen copy of the example app's spec: generator tests never read the project's own spec,
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

    /// The `Swift/*.swift` files `specgen generate` writes for `spec`, by file name, through the
    /// same `generateFiles` the command calls.
    static func generatedSwift(_ spec: LoadedSpec) -> [String: String] {
        let (files, _) = generateFiles(for: spec, options: GenerationOptions(), existing: ExistingOutput())
        return swiftFilesByName(files)
    }

    /// Only the Swift emitter's files (cheaper than `generatedSwift` for large documents: no
    /// TypeScript, SQL or bundling).
    static func emittedSwift(_ spec: LoadedSpec) -> [String: String] {
        swiftFilesByName(SwiftEmitter().emit(APIModel.build(from: spec)))
    }

    private static func swiftFilesByName(_ files: [GeneratedFile]) -> [String: String] {
        var byName: [String: String] = [:]
        for file in files where file.path.hasPrefix("Swift/") {
            let name = String(file.path.dropFirst("Swift/".count))
            #expect(!name.contains("/") && name.hasSuffix(".swift"), "unexpected Swift output path \(file.path)")
            #expect(byName[name] == nil, "two generated files share the path \(file.path)")
            byName[name] = file.contents
        }
        return byName
    }

    /// Golden files carry this after `.swift`: a `.swift` file under `Tests/CodeGenTests` would
    /// be compiled into the test target, which does not depend on `ServerRuntime`.
    static let goldenSuffix = ".golden"

    /// The `*.swift<suffix>` files directly in `folder`, by name without the suffix; empty when
    /// the folder does not exist.
    static func swiftFiles(in folder: URL, suffix: String = "") throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [:] }
        var byName: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasSuffix(".swift" + suffix) {
            let contents = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            byName[String(name.dropLast(suffix.count))] = contents
        }
        return byName
    }

    /// Where `actual` (generated, by file name) and `expected` (on disk) disagree, one line per
    /// file, each naming the first differing line.
    static func differences(_ actual: [String: String], _ expected: [String: String]) -> [String] {
        var problems: [String] = []
        for name in Set(actual.keys).union(expected.keys).sorted() {
            switch (actual[name], expected[name]) {
            case (_?, nil): problems.append("\(name): generated but not on disk")
            case (nil, _?): problems.append("\(name): on disk but no longer generated")
            case (let got?, let want?):
                if let difference = firstDifference(got, want) { problems.append("\(name): \(difference)") }
            case (nil, nil): break
            }
        }
        return problems
    }

    /// The first differing line, so a failure says where instead of printing two files.
    static func firstDifference(_ actual: String, _ expected: String) -> String? {
        guard actual != expected else { return nil }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<end of file>"
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<end of file>"
            if got != want { return "line \(index + 1): generated `\(got)`, on disk `\(want)`" }
        }
        return "the files differ in line endings"
    }

    /// Replaces the `*.swift<suffix>` files of `folder` with `files` (by name without the suffix).
    static func replaceSwiftFiles(in folder: URL, with files: [String: String], suffix: String = "") throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasSuffix(".swift" + suffix) && files[String(name.dropLast(suffix.count))] == nil {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        for (name, contents) in files {
            try contents.write(to: folder.appendingPathComponent(name + suffix), atomically: true, encoding: .utf8)
        }
    }

    // MARK: Processes

    /// The executable `name` on `PATH`.
    static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments` in `folder`, both output streams written to `log` (a file,
    /// so a chatty tool can never block on a full pipe), ended after `timeout` seconds.
    static func run(
        _ tool: URL, _ arguments: [String], in folder: URL, log: URL, timeout: Double
    ) async throws -> ToolRun.Result {
        try await ToolRun.run(tool.path, arguments, in: folder, log: log, timeout: .milliseconds(Int(timeout * 1000)))
    }

    static func format(_ seconds: Double) -> String {
        String(format: "%.1f", seconds)
    }
}
