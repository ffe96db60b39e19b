/// Why the output folder could not be checked or written. Nothing is changed on disk when a
/// path is refused: paths are checked before anything is written.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Absolute, empty, or containing `.`/`..` segments: it could leave the output folder.
    case unsafePath(String)
    /// Outside the folders the generator owns (`Swift/`, `TypeScript/`, `SQL/`, `openapi.json`).
    case notOwned(String)
    /// Two generated files with the same path.
    case duplicatePath(String)
    /// An existing migration would get different content; migrations are append-only.
    case migrationChanged(String)
    /// A system call failed.
    case io(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .unsafePath(let path):
            "refusing to write '\(path)': generated paths must be relative and stay inside the output folder"
        case .notOwned(let path):
            "refusing to write '\(path)': the generator writes only Swift/, TypeScript/, SQL/ and openapi.json"
        case .duplicatePath(let path): "'\(path)' is generated twice"
        case .migrationChanged(let path):
            "'\(path)' already exists with different content; migrations are append-only, add a new one instead"
        case .io(let path, let operation, let message): "cannot \(operation) '\(path)': \(message)"
        }
    }
}
