import ArgumentParser
import CodeGen
import OpenAPI

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Prints the document's diagnostics; exits 1 when there is an error (with --strict, a warning too)."
    )

    @Option(name: .long, help: "The OpenAPI document to read.")
    var spec = "spec/openapi.yaml"

    @Flag(name: .long, help: "Print errors only.")
    var quiet = false

    @Flag(name: .long, help: "Exit 1 on warnings too (what `make test` asks of the project's own spec).")
    var strict = false

    func run() throws {
        let loaded = SpecLoader().load(path: spec)
        var diagnostics = loaded.diagnostics
        // Extensions the generator reads (`x-websockets`) are checked here too, so an editor
        // running lint sees the same errors `generate` would stop on.
        for diagnostic in APIModel.webSocketDiagnostics(for: loaded) { diagnostics.append(diagnostic) }
        for diagnostic in diagnostics.sorted where !quiet || diagnostic.severity == .error {
            printError(diagnostic.description)
        }
        if diagnostics.droppedCount > 0 {
            printError("\(spec): note: \(diagnostics.droppedCount) more diagnostics not shown")
        }
        let summary =
            "\(spec): \(diagnostics.errorCount) error\(diagnostics.errorCount == 1 ? "" : "s"), "
            + "\(diagnostics.warningCount) warning\(diagnostics.warningCount == 1 ? "" : "s"); "
            + "\(loaded.pathItems.count) paths, \(loaded.operationCount) operations, "
            + "\(loaded.document?.components.schemas.count ?? 0) schemas"
        printError(summary)
        if diagnostics.fails(strict: strict) { throw ExitCode.failure }
    }
}
