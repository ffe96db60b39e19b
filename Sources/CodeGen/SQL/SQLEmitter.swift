import OpenAPI

/// Emits `SQL/schema.sql`, `SQL/schema.lock.json` and `SQL/migrations/NNNN_<slug>.sql`
/// (paths relative to the output folder, `Generated/`) from the spec's `x-db-table` schemas.
///
/// The lock records the tables as last generated. When the spec's tables differ from it, the
/// next migration is appended; existing migrations come back unchanged, never rewritten, so
/// a database that applied them stays valid. Destructive steps (drops, narrowing, `SET NOT
/// NULL`) are only generated with `allowDestructive`; otherwise each is an error naming it.
///
/// The emitter does no file I/O: the caller reads the previous state and writes the files.
public enum SQLEmitter {
    public static let schemaPath = "SQL/schema.sql"
    public static let lockPath = "SQL/schema.lock.json"
    public static let migrationsFolder = "SQL/migrations"

    /// Every file of `SQL/` as it should be after this run: `schema.sql`, the lock, the
    /// existing migrations unchanged and the new one if the tables changed.
    ///
    /// When `diagnostics` holds an error, `files` is empty and the caller must write nothing:
    /// a new lock without its migration would lose the change for good.
    public static func emit(
        model: APIModel, previous: SQLState?, allowDestructive: Bool = false
    ) -> (files: [GeneratedFile], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let state = previous ?? SQLState()
        // The model's diagnostics say why its tables are unfit; this one says nothing was written.
        if let problem = model.tablesProblem {
            let location = model.documentLocation ?? lockLocation(state)
            diagnostics.append(Diagnostic(.error, "no SQL generated: \(problem)", at: location))
            return ([], diagnostics)
        }
        let built = model.tables

        let existing = existingMigrations(state, &diagnostics)
        let oldLock = previousLock(state, existing: existing, &diagnostics)
        let old = oldLock?.tables ?? []
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return ([], diagnostics) }

        let renames = SQLRenamePlanner.apply(old: old, new: built)
        diagnostics += renames.diagnostics
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return ([], diagnostics) }
        let tables = keepingColumnOrder(of: renames.tables, in: built)
        let changes = renames.changes + SQLMigrationPlanner.changes(from: renames.tables, to: tables)
        if !allowDestructive {
            for change in changes where change.isDestructive {
                diagnostics.append(
                    Diagnostic(
                        .error, "destructive change: \(change.summary) (pass --allow-destructive to generate it)",
                        at: change.location ?? lockLocation(state)))
            }
            guard !diagnostics.contains(where: { $0.severity == .error }) else { return ([], diagnostics) }
        }

        var migrationFiles = existing.map {
            GeneratedFile(path: migrationsFolder + "/" + $0.name, contents: $0.contents)
        }
        // The tables before the newest migration, for `discard`; kept only while it is the newest.
        var previous = oldLock?.previous.flatMap { $0.migration == existing.last?.name ? $0 : nil }
        if !changes.isEmpty {
            let migration = SQLMigration(version: (existing.last?.version ?? 0) + 1, changes: changes)
            let path = migrationsFolder + "/" + migration.fileName
            migrationFiles.append(GeneratedFile(path: path, contents: migration.contents))
            previous = SQLSchemaLock.Previous(migration: migration.fileName, tables: old)
        }
        let lock = SQLSchemaLock(
            tables: tables, migrations: migrationFiles.map { String($0.path.dropFirst(migrationsFolder.count + 1)) },
            previous: previous)
        let files =
            [
                GeneratedFile(path: schemaPath, contents: SQLSchemaFile.render(tables)),
                GeneratedFile(path: lockPath, contents: lock.encoded()),
            ] + migrationFiles
        return (files, diagnostics)
    }

    /// What `specgen migrations discard NNNN` leaves in `SQL/`: the newest migration removed
    /// and the lock and `schema.sql` back to the tables before it, so the next `generate`
    /// writes that number again from the spec as it is then. Only the newest migration can go,
    /// and only once the lock holds the tables before it (every migration this specgen writes);
    /// whether a database applied it is the caller's word (the server's migrator refuses a
    /// database whose applied migration has changed).
    public static func discard(
        version: Int, previous state: SQLState
    ) -> (files: [GeneratedFile], removed: String?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let existing = existingMigrations(state, &diagnostics)
        let lock = previousLock(state, existing: existing, &diagnostics)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return ([], nil, diagnostics) }
        let location = lockLocation(state)
        guard let newest = existing.last else {
            diagnostics.append(Diagnostic(.error, "there is no migration to discard", at: location))
            return ([], nil, diagnostics)
        }
        guard newest.version == version else {
            let known = existing.contains { $0.version == version }
            diagnostics.append(
                Diagnostic(
                    .error,
                    (known ? "migration \(version) is not the newest" : "there is no migration \(version)")
                        + " (the newest is \(newest.name)): only the newest migration can be discarded, one at a time",
                    at: location))
            return ([], nil, diagnostics)
        }
        guard let lock, let before = lock.previous, before.migration == newest.name else {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(location.file) does not record the tables before \(newest.name) (it was written by an older "
                        + "specgen, or a discard already used the record): restore the lock and migrations from version "
                        + "control instead", at: location))
            return ([], nil, diagnostics)
        }
        let kept = existing.dropLast()
        let restored = SQLSchemaLock(tables: before.tables, migrations: kept.map(\.name), previous: nil)
        let ordered = SQLTableOrder.sort(before.tables).tables
        let files = [
            GeneratedFile(path: schemaPath, contents: SQLSchemaFile.render(ordered)),
            GeneratedFile(path: lockPath, contents: restored.encoded()),
        ]
        return (files, migrationsFolder + "/" + newest.name, diagnostics)
    }

    /// The existing migrations by version; badly named or duplicate files are errors, since
    /// the server's migrator would refuse them too.
    private static func existingMigrations(_ state: SQLState, _ diagnostics: inout [Diagnostic]) -> [SQLMigrationFile] {
        var byVersion: [Int: SQLMigrationFile] = [:]
        for file in state.migrations.sorted(by: { $0.name < $1.name }) {
            let location = SourceLocation(file: state.folder + "/migrations/" + file.name, line: 1, column: 1)
            guard let version = file.version else {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "migration file name \"\(file.name)\" is not NNNN_slug.sql; rename or remove "
                            + "it", at: location))
                continue
            }
            if let other = byVersion[version] {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "migrations \"\(other.name)\" and \"\(file.name)\" have the same number \(version) (two "
                            + "branches each added one?); renumber the one not yet applied anywhere and regenerate",
                        at: location))
                continue
            }
            byVersion[version] = file
        }
        return byVersion.keys.sorted().compactMap { byVersion[$0] }
    }

    /// The lock, whose tables are what the existing migrations build; checks that lock and
    /// migrations belong together.
    private static func previousLock(
        _ state: SQLState, existing: [SQLMigrationFile], _ diagnostics: inout [Diagnostic]
    ) -> SQLSchemaLock? {
        let location = lockLocation(state)
        guard let text = state.lock else {
            if !existing.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "\(location.file) is missing but \(state.folder)/migrations holds \(existing.count) "
                            + "migration(s) (\(existing.map(\.name).joined(separator: ", "))): the lock records what "
                            + "they built, so without it no next migration can be computed; restore it from "
                            + "version control",
                        at: location))
            }
            return nil
        }
        let (lock, lockDiagnostics) = SQLSchemaLock.decode(text, file: location.file)
        diagnostics += lockDiagnostics
        guard let lock else { return nil }
        let present = Set(existing.map(\.name))
        let recorded = Set(lock.migrations)
        for name in lock.migrations where !present.contains(name) {
            diagnostics.append(
                Diagnostic(
                    .error,
                    "migration \"\(name)\" recorded in \(location.file) is missing from \(state.folder)/migrations; "
                        + "restore it from version control",
                    at: location))
        }
        for file in existing where !recorded.contains(file.name) {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "migration \"\(file.name)\" is not recorded in \(location.file): specgen did not write it, and "
                        + "the lock does not know what it changes",
                    at: SourceLocation(file: state.folder + "/migrations/" + file.name, line: 1, column: 1)))
        }
        return lock
    }

    /// The new tables with the columns of existing tables in the lock's order and new ones at
    /// the end: `ADD COLUMN` can only append, and `schema.sql` must describe the database the
    /// migrations build, column order included.
    private static func keepingColumnOrder(of old: [SQLTable], in new: [SQLTable]) -> [SQLTable] {
        let oldByName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return new.map { table in
            guard let previous = oldByName[table.name] else { return table }
            let kept = previous.columns.compactMap { table.column(named: $0.name) }
            let added = table.columns.filter { previous.column(named: $0.name) == nil }
            var reordered = table
            reordered.columns = kept + added
            return reordered
        }
    }

    private static func lockLocation(_ state: SQLState) -> SourceLocation {
        SourceLocation(file: state.folder + "/schema.lock.json", line: 1, column: 1)
    }
}
