import ArgumentParser
import CodeGen
import OpenAPI

/// `specgen generate`: the spec in, `Generated/` out. Nothing is written unless the spec and
/// every emitter are free of errors; `--check` writes nothing and fails when a run would.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generates Swift, TypeScript, SQL and the bundled openapi.json from the spec.",
        discussion: """
            Writes only files whose bytes change and removes generated files the spec no longer \
            produces (never existing SQL migrations, never files outside Swift/, Database/, TypeScript/, SQL/ \
            and openapi.json). With --check nothing is written: the command lists the stale files \
            and exits 1 when the folder is not up to date.
            """
    )

    @Option(name: .long, help: "The OpenAPI document to read.")
    var spec = "spec/openapi.yaml"

    @Option(name: .long, help: "The output folder.")
    var out = "Generated"

    @Flag(name: .long, help: "Write nothing; exit 1 and list the stale files when the output is not up to date.")
    var check = false

    @Flag(name: .long, help: "Allow migrations that drop or narrow columns or tables.")
    var allowDestructive = false

    @Flag(
        name: .long,
        help: "Generate even when the spec breaks clients or the server compared with the last generation (<out>/openapi.json).")
    var allowBreaking = false

    @Option(name: .long, help: "The module Database/ imports the models from (the target built from Swift/).")
    var apiModule = "API"

    // For scripts/conformance.py only: every type validates, plus a driver (Swift/Conformance.swift).
    @Flag(name: .long, help: .hidden)
    var conformanceEntryPoints = false

    func validate() throws {
        let isIdentifier =
            apiModule.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && apiModule.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard apiModule.isEmpty || isIdentifier else {
            throw ValidationError("--api-module must be a Swift module name (letters, digits, _), not '\(apiModule)'")
        }
    }

    func run() throws {
        let start = ContinuousClock.now
        let loaded = SpecLoader().load(path: spec)
        report(loaded.diagnostics.sorted, dropped: loaded.diagnostics.droppedCount)
        guard !loaded.hasErrors else {
            let count = loaded.diagnostics.errorCount
            printError("\(spec): \(count) error\(count == 1 ? "" : "s"); nothing generated")
            throw ExitCode.failure
        }

        // A breaking change against the last generation stops here, before anything is written
        // (with --check too: CI fails on an unacknowledged breaking change).
        let lastGeneration = LastGenerationCheck(spec: loaded, specName: spec, outputFolder: out)
        if let problem = lastGeneration.problem { printError(problem) }
        if !lastGeneration.breaking.isEmpty {
            for change in lastGeneration.breaking { printError(change.description) }
            printError("\(spec): " + lastGeneration.summary(allowed: allowBreaking))
            if !allowBreaking { throw ExitCode.failure }
        }

        let folder = OutputFolder(path: out)
        do {
            let existing = try ExistingOutput.read(from: folder.path)
            let (files, diagnostics) = generateFiles(
                for: loaded,
                options: GenerationOptions(
                    allowDestructive: allowDestructive, conformanceEntryPoints: conformanceEntryPoints, apiModule: apiModule),
                existing: existing)
            report(diagnostics, dropped: 0)
            let errorCount = diagnostics.filter { $0.severity == .error }.count
            guard errorCount == 0 else {
                printError("\(errorCount) error\(errorCount == 1 ? "" : "s") while generating; nothing written")
                throw ExitCode.failure
            }

            if check {
                let stale = try folder.staleFiles(for: files)
                guard !stale.isEmpty else {
                    print("\(folder.path)/ is up to date")
                    return
                }
                for path in stale { print("stale: \(path)") }
                throw ExitCode.failure
            }
            let summary = try folder.write(files)
            print(
                "generated \(files.count) file\(files.count == 1 ? "" : "s"): \(summary.written) written, "
                    + "\(summary.unchanged) unchanged, \(summary.removed) removed in \(seconds(since: start))s")
        } catch let error as OutputError {
            printError("\(folder.path): error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Diagnostics as `lint` prints them: to standard error, one per line, sorted.
    private func report(_ diagnostics: [Diagnostic], dropped: Int) {
        for diagnostic in diagnostics { printError(diagnostic.description) }
        if dropped > 0 { printError("\(spec): note: \(dropped) more diagnostics not shown") }
    }

    /// Elapsed time with two decimals, `0.12`.
    private func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let (whole, attoseconds) = elapsed.components
        let hundredths = Int(whole) * 100 + Int((Double(attoseconds) / 1e16).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
