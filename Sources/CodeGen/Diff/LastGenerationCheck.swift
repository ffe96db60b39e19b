import Foundation
import OpenAPI

/// What `specgen generate` checks before it writes: the spec against the bundled document of
/// the last generation (`<out>/openapi.json`), so a breaking change stops the run unless it
/// is acknowledged with `--allow-breaking`.
public struct LastGenerationCheck: Sendable {
    /// The changes that break clients or the server; empty when nothing breaks or there was no
    /// previous generation.
    public var breaking: [SpecChange] = []
    /// Why the check could not run (the previous document does not load), as a warning.
    public var problem: String?
    public var previousPath: String

    /// Compares `spec` (loaded, free of errors) with `<outputFolder>/openapi.json`.
    public init(spec: LoadedSpec, specName: String, outputFolder: String, options: DiffOptions = DiffOptions()) {
        previousPath = outputFolder + "/openapi.json"
        guard FileManager.default.fileExists(atPath: previousPath) else { return }
        let previous = SpecLoader().load(path: previousPath)
        guard !previous.hasErrors else {
            problem =
                "\(previousPath): warning: the last generation's document does not load "
                + "(\(previous.diagnostics.errorCount) errors); breaking changes not checked"
            return
        }
        let report = SpecDiff.compare(old: previous, new: spec, oldName: previousPath, newName: specName, options: options)
        breaking = report.breaking
    }

    /// The closing line when something breaks.
    public func summary(allowed: Bool) -> String {
        let count = breaking.count
        let changes = "\(count) breaking change\(count == 1 ? "" : "s") against the last generation (\(previousPath))"
        return allowed
            ? "note: \(changes), allowed by --allow-breaking"
            : "error: \(changes); nothing generated. Review them (specgen diff) and pass --allow-breaking to generate anyway"
    }
}
