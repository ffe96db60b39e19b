/// What the last run left in the output folder, read by the caller so the emitter does no
/// file I/O: the lock file's text and the migration files.
public struct SQLState: Hashable, Sendable {
    /// `schema.lock.json`, or `nil` when there is none.
    public var lock: String?
    /// Every `.sql` file of `migrations/`, in any order.
    public var migrations: [SQLMigrationFile]
    /// The folder they were read from, as diagnostics should name it (`Generated/SQL`).
    public var folder: String

    public init(lock: String? = nil, migrations: [SQLMigrationFile] = [], folder: String = "Generated/SQL") {
        self.lock = lock
        self.migrations = migrations
        self.folder = folder
    }
}
