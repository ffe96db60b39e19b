/// Why the migrator stopped.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// An applied migration's SQL changed since it was applied.
    case checksumMismatch(version: Int, file: String, recorded: String, current: String)
    case invalidFileName(String)
    case duplicateVersion(Int, files: [String])
    case unreadable(path: String, reason: String)
    /// Applying the migration failed; it was rolled back.
    case failed(file: String, underlying: any Error)

    public var description: String {
        switch self {
        case .checksumMismatch(let version, let file, let recorded, let current):
            "migration \(file) (version \(version)) was changed after it was applied: recorded checksum \(recorded), file now has \(current). Applied migrations must never be edited; add a new migration instead."
        case .invalidFileName(let name):
            "migration file \(name) is not named NNNN_slug.sql"
        case .duplicateVersion(let version, let files):
            "migration version \(version) is used by several files: \(files.joined(separator: ", "))"
        case .unreadable(let path, let reason):
            "cannot read migrations at \(path): \(reason)"
        case .failed(let file, let underlying):
            "migration \(file) failed and was rolled back: \(underlying)"
        }
    }
}
