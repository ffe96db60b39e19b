import ArgumentParser
import CodeGen
import OpenAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DiffRun.Format: ExpressibleByArgument {}

/// The last diff's outcome, never released: see `DiffCommand.run`.
nonisolated(unsafe) private var exitingOutcome: DiffRun.Outcome?

/// `specgen diff OLD NEW`: every change between two documents, each classified for clients and
/// for the server by the rule that found it.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compares two OpenAPI documents and reports what breaks clients or the server.",
        discussion: """
            Both documents go through the generator's loader and model (the reading of JSON Schema \
            the generated code comes from); types are compared by shape, so moving or renaming a \
            component is no change. Each change is printed as \
            file:line:column: error|warning|note: message (verdict) [rule-id], located in NEW, or in OLD \
            for what was removed. A document is a file or git:REF (the spec file at a git revision; \
            git:REF:PATH for another file). Exit status: 0 nothing breaks, 1 something breaks, 2 a \
            document is invalid or cannot be read.
            """
    )

    @Argument(help: "The old document: a file or git:REF. Default: <out>/openapi.json, the last generation.")
    var old: String?

    @Argument(help: "The new document: a file or git:REF. Default: --spec.")
    var new: String?

    @Option(name: .long, help: "The spec file: NEW when it is not given, and the file git:REF reads.")
    var spec = "spec/openapi.yaml"

    @Option(name: .long, help: "The output folder of the last generation (where OLD defaults to openapi.json).")
    var out = "Generated"

    @Option(name: .long, help: "text (compiler diagnostics), json, or markdown (a changelog).")
    var format: DiffRun.Format = .text

    @Option(name: .long, help: "The date x-sunset dates are compared with (YYYY-MM-DD). Default: today (UTC).")
    var today: String?

    func run() throws {
        let run = DiffRun(
            old: SpecSource(argument: old ?? "\(out)/openapi.json"), new: SpecSource(argument: new ?? spec),
            specPath: spec, format: format, options: today.map { DiffOptions(today: $0) } ?? DiffOptions())
        let outcome = run.run()
        // The process exits next: the documents stay allocated rather than being freed node by node.
        exitingOutcome = outcome
        if !outcome.output.isEmpty {
            print(outcome.output, terminator: "")
            fflush(nil)
        }
        for line in outcome.errors { printError(line) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
