/// Collects diagnostics instead of stopping at the first, so one run shows every problem.
public struct DiagnosticLog: Sendable {
    public private(set) var entries: [Diagnostic] = []
    /// Caps the output for pathological input; the count keeps going.
    public var limit = 1000
    public private(set) var droppedCount = 0

    public init() {}

    public var hasErrors: Bool { entries.contains { $0.severity == .error } || droppedErrors > 0 }
    public var errorCount: Int { entries.count { $0.severity == .error } + droppedErrors }
    public var warningCount: Int { entries.count { $0.severity == .warning } + droppedCount - droppedErrors }
    private var droppedErrors = 0

    /// Whether a check with these diagnostics fails: on an error, and with `strict` on a warning
    /// too (`specgen lint --strict`, which `make test` runs on the project's own spec). Warnings
    /// past `limit` count.
    public func fails(strict: Bool) -> Bool {
        hasErrors || (strict && warningCount > 0)
    }

    public mutating func error(_ message: String, at location: SourceLocation) {
        append(Diagnostic(.error, message, at: location))
    }

    public mutating func warning(_ message: String, at location: SourceLocation) {
        append(Diagnostic(.warning, message, at: location))
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        guard entries.count < limit else {
            droppedCount += 1
            if diagnostic.severity == .error { droppedErrors += 1 }
            return
        }
        entries.append(diagnostic)
    }

    public mutating func append(contentsOf other: DiagnosticLog) {
        for entry in other.entries { append(entry) }
        droppedCount += other.droppedCount
        droppedErrors += other.droppedErrors
    }

    /// Sorted by file, then position, so output is stable whatever order the loader visited nodes in.
    public var sorted: [Diagnostic] {
        entries.enumerated().sorted { a, b in
            let l = a.element.location
            let r = b.element.location
            if l.file != r.file { return l.file < r.file }
            if l.line != r.line { return l.line < r.line }
            if l.column != r.column { return l.column < r.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
