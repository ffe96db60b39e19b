import Foundation
import OpenAPI
import Testing

/// Paths and helpers shared by the loader tests. Fixtures are read by paths relative to this
/// file, since the test target has no resources.
enum TestPaths {
    /// `Tests/OpenAPITests`, symlinks resolved so a mirrored checkout finds the real files.
    static let testsFolder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    /// The package root: three levels up from this file.
    static let repository = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let badDocuments = testsFolder.appendingPathComponent("BadDocuments")
}

extension LoadedSpec {
    var errors: [Diagnostic] { diagnostics.entries.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.entries.filter { $0.severity == .warning } }

    /// Every diagnostic, one per line, for failure messages.
    var report: String {
        var lines = diagnostics.entries.map { "  \($0)" }
        if diagnostics.droppedCount > 0 { lines.append("  … and \(diagnostics.droppedCount) more") }
        return lines.isEmpty ? "  (no diagnostics)" : lines.joined(separator: "\n")
    }
}

/// Loads documents held in memory under made-up absolute paths.
func loadInMemory(_ text: String, path: String = "/virtual/openapi.yaml", limits: ParseLimits = ParseLimits())
    -> LoadedSpec
{
    SpecLoader(limits: limits, files: .inMemory([path: text])).load(path: path)
}

/// Loads a document given as raw bytes, which need not be valid UTF-8.
func loadBytes(_ bytes: [UInt8], path: String) -> LoadedSpec {
    let files = SourceFiles { requested in requested == path ? .success(bytes) : .failure(.notFound) }
    return SpecLoader(files: files).load(path: path)
}

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("specgen-openapi-tests-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relativePath`, creating folders on the way, and returns the absolute path.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        try write(relativePath, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ relativePath: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Asserts that `loaded` holds a diagnostic of `severity` at `line`:`column` whose message
/// contains `message`, printing every diagnostic when it does not.
@discardableResult
func expectDiagnostic(
    _ loaded: LoadedSpec, _ severity: Diagnostic.Severity, line: Int, column: Int, containing message: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Bool {
    let found = loaded.diagnostics.entries.contains {
        $0.severity == severity && $0.location.line == line && $0.location.column == column
            && $0.message.contains(message)
    }
    #expect(
        found,
        "expected \(severity.rawValue) at \(line):\(column) containing \"\(message)\"; the loader reported:\n\(loaded.report)",
        sourceLocation: sourceLocation)
    return found
}

/// Asserts that loading reported nothing at all, listing what it did report otherwise.
func expectNoDiagnostics(_ loaded: LoadedSpec, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let count = loaded.diagnostics.entries.count + loaded.diagnostics.droppedCount
    #expect(count == 0, "expected no diagnostics:\n\(loaded.report)", sourceLocation: sourceLocation)
}

/// Asserts that loading reported no error (warnings allowed), listing the diagnostics otherwise.
func expectNoErrors(_ loaded: LoadedSpec, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let errors = loaded.diagnostics.errorCount
    #expect(errors == 0, "expected no errors:\n\(loaded.report)", sourceLocation: sourceLocation)
}
