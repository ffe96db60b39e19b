/// What a generation run may do beyond the defaults, as chosen on the command line.
public struct GenerationOptions: Sendable {
    /// Lets the SQL emitter plan destructive migration steps (drops, narrowing types,
    /// `SET NOT NULL` on existing data); without it they are reported as errors.
    public var allowDestructive: Bool
    /// Gives every named type a validator and writes `Swift/Conformance.swift` (a table of the
    /// component schemas' checks and a driver over standard input), for the conformance harness
    /// (`scripts/conformance.py`); the example app never uses it.
    public var conformanceEntryPoints: Bool
    /// The module `Database/` imports the models from: the target built from `Swift/` (`API`).
    public var apiModule: String

    public init(allowDestructive: Bool = false, conformanceEntryPoints: Bool = false, apiModule: String = "API") {
        self.allowDestructive = allowDestructive
        self.conformanceEntryPoints = conformanceEntryPoints
        self.apiModule = apiModule
    }
}
