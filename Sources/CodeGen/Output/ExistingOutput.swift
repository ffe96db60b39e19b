#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a previous run left on disk that the next one builds on: the SQL emitter compares
/// the spec's tables with the lock file and numbers new migrations after the existing ones,
/// which it must reproduce byte for byte (they are append-only).
public struct ExistingOutput: Sendable {
    /// A migration file as the SQL emitter reads it.
    public typealias Migration = SQLMigrationFile

    /// `SQL/schema.lock.json` as last generated, nil before the first run.
    public var schemaLock: String?
    /// `SQL/migrations/*.sql`, sorted by name.
    public var migrations: [Migration]
    /// The output folder as the user named it (`Generated`), for diagnostics about these files.
    public var folder: String

    public init(schemaLock: String? = nil, migrations: [Migration] = [], folder: String = "Generated") {
        self.schemaLock = schemaLock
        self.migrations = migrations.sorted { $0.name < $1.name }
        self.folder = folder
    }

    public static let schemaLockPath = "SQL/schema.lock.json"
    public static let migrationsFolder = "SQL/migrations"

    /// Reads what `folder` (the output folder, `Generated`) holds; missing files are simply absent.
    public static func read(from folder: String) throws -> ExistingOutput {
        let lock = try FileOperations.readFile(folder + "/" + schemaLockPath)
        var migrations: [Migration] = []
        let directory = folder + "/" + migrationsFolder
        for entry in try FileOperations.listFiles(in: directory) where entry.hasSuffix(".sql") {
            guard let bytes = try FileOperations.readFile(directory + "/" + entry) else { continue }
            migrations.append(Migration(name: entry, contents: String(decoding: bytes, as: UTF8.self)))
        }
        return ExistingOutput(
            schemaLock: lock.map { String(decoding: $0, as: UTF8.self) }, migrations: migrations, folder: folder)
    }
}
