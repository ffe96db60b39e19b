/// The output folder (`Generated/`) brought in line with the files one generation run
/// produces. Only what the generator owns is ever written or removed: the folders `Swift/`,
/// `TypeScript/` and `SQL/` and the file `openapi.json`. Existing migrations
/// (`SQL/migrations/*`) are never removed or changed, since a database may have applied them.
///
/// Writing replaces only files whose bytes change, so builds that depend on them stay
/// incremental. A run is all or nothing as far as it can be: every changed file is first
/// written in full to a temporary file beside its target and flushed; only when all are
/// staged are they renamed into place, and if a rename fails the ones already renamed are
/// put back. Files no longer produced are removed last. A crash leaves each file whole
/// (either version) and at worst a hidden temporary file, which the next run removes.
public struct OutputFolder: Sendable {
    /// How a write went.
    public struct Summary: Equatable, Sendable {
        public var written: Int
        public var unchanged: Int
        public var removed: Int

        public init(written: Int, unchanged: Int, removed: Int) {
            self.written = written
            self.unchanged = unchanged
            self.removed = removed
        }
    }

    public static let ownedFolders = ["Swift", "Database", "TypeScript", "SQL"]
    public static let ownedFiles = ["openapi.json"]
    /// Migrations are append-only: once on disk they are never removed or rewritten.
    public static let protectedFolder = "SQL/migrations"

    public let path: String
    /// Called with each relative path just before its staged file is renamed into place;
    /// tests use it to make a rename fail half way through.
    var beforeRename: (@Sendable (String) throws -> Void)?

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The paths, relative to the folder and sorted, that a write would change: files whose
    /// content differs or that are missing, and owned files no longer produced. Writes nothing.
    public func staleFiles(for files: [GeneratedFile]) throws -> [String] {
        let plan = try makePlan(files)
        return (plan.changed.map(\.path) + plan.obsolete).sorted()
    }

    /// Writes what changed and removes what is no longer produced.
    @discardableResult
    public func write(_ files: [GeneratedFile]) throws -> Summary {
        let plan = try makePlan(files)
        if !plan.changed.isEmpty { try FileOperations.makeDirectories(path) }

        // Stage: every changed file written in full beside its target before any is replaced.
        var staged: [(change: Change, temporary: String)] = []
        do {
            for change in plan.changed {
                let target = absolute(change.path)
                try FileOperations.makeDirectories(FileOperations.parentFolder(of: target))
                if FileOperations.kind(target) == .directory {
                    throw OutputError.io(path: target, operation: "replace", message: "a folder is in the way")
                }
                staged.append((change, try FileOperations.writeTemporary(change.bytes, beside: target)))
            }
        } catch {
            for entry in staged { try? FileOperations.remove(entry.temporary) }
            throw error
        }

        // Publish: rename each into place; on failure put back what was already replaced.
        for (index, entry) in staged.enumerated() {
            do {
                try beforeRename?(entry.change.path)
                try FileOperations.move(entry.temporary, to: absolute(entry.change.path))
            } catch {
                restore(staged[..<index].map(\.change))
                for later in staged[index...] { try? FileOperations.remove(later.temporary) }
                throw error
            }
        }
        var folders = Set(staged.map { FileOperations.parentFolder(of: absolute($0.change.path)) })

        // Remove: only now that the new files are in place.
        for relative in plan.obsolete {
            try FileOperations.remove(absolute(relative))
            folders.insert(FileOperations.parentFolder(of: absolute(relative)))
            pruneEmptyFolders(above: relative)
        }
        for folder in folders.sorted() { FileOperations.syncFolder(folder) }
        return Summary(written: plan.changed.count, unchanged: plan.unchanged, removed: plan.obsolete.count)
    }

    // MARK: Planning

    private struct Change {
        var path: String
        var bytes: [UInt8]
        /// The content being replaced, kept to put it back if the run fails half way.
        var previous: [UInt8]?
    }

    /// `specgen migrations discard`: writes `files` (the restored lock and `schema.sql`), then
    /// removes the one migration `migration` names, the only way a migration ever goes. The
    /// lock goes first: a crash in between leaves a migration the lock does not record, which
    /// `generate` reports, rather than a lock naming a missing file.
    public func discard(_ migration: String, writing files: [GeneratedFile]) throws {
        try Self.validate(migration)
        guard Self.isProtected(migration) else { throw OutputError.notOwned(migration) }
        for file in files {
            try Self.validate(file.path)
            let target = absolute(file.path)
            let temporary = try FileOperations.writeTemporary(Array(file.contents.utf8), beside: target)
            try FileOperations.move(temporary, to: target)
        }
        try FileOperations.remove(absolute(migration))
        FileOperations.syncFolder(FileOperations.parentFolder(of: absolute(migration)))
    }

    private struct Plan {
        var changed: [Change] = []
        var unchanged = 0
        var obsolete: [String] = []
    }

    private func makePlan(_ files: [GeneratedFile]) throws -> Plan {
        var produced = Set<String>()
        for file in files {
            try Self.validate(file.path)
            guard produced.insert(file.path).inserted else { throw OutputError.duplicatePath(file.path) }
        }
        var plan = Plan()
        for file in files {
            let bytes = Array(file.contents.utf8)
            let previous = try FileOperations.readFile(absolute(file.path))
            if previous == bytes {
                plan.unchanged += 1
                continue
            }
            if previous != nil, Self.isProtected(file.path) { throw OutputError.migrationChanged(file.path) }
            plan.changed.append(Change(path: file.path, bytes: bytes, previous: previous))
        }
        var onDisk: [String] = []
        for folder in Self.ownedFolders {
            onDisk += try FileOperations.walk(absolute(folder), prefix: folder)
        }
        for file in Self.ownedFiles where FileOperations.kind(absolute(file)) == .file {
            onDisk.append(file)
        }
        plan.obsolete = onDisk.filter { !produced.contains($0) && !Self.isProtected($0) }.sorted()
        return plan
    }

    /// Refuses paths that could leave the folder or reach what the generator does not own.
    static func validate(_ path: String) throws {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"),
            segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else { throw OutputError.unsafePath(path) }
        let owned =
            ownedFiles.contains(path) || (segments.count > 1 && ownedFolders.contains(String(segments[0])))
        guard owned else { throw OutputError.notOwned(path) }
    }

    static func isProtected(_ path: String) -> Bool {
        path.hasPrefix(protectedFolder + "/")
    }

    // MARK: Helpers

    private func absolute(_ relative: String) -> String {
        path.isEmpty ? relative : path + "/" + relative
    }

    /// Puts back the files already replaced when a later rename failed: their previous bytes
    /// by the same stage-and-rename, files that did not exist before removed.
    private func restore(_ changes: [Change]) {
        for change in changes.reversed() {
            let target = absolute(change.path)
            if let previous = change.previous {
                if let temporary = try? FileOperations.writeTemporary(previous, beside: target) {
                    try? FileOperations.move(temporary, to: target)
                }
            } else {
                try? FileOperations.remove(target)
            }
        }
    }

    /// Removes the folders a removal left empty, up to (not including) the owned folder.
    private func pruneEmptyFolders(above relative: String) {
        var folder = FileOperations.parentFolder(of: relative)
        while folder.contains("/"), !Self.ownedFolders.contains(folder) {
            guard FileOperations.removeIfEmpty(absolute(folder)) else { return }
            folder = FileOperations.parentFolder(of: folder)
        }
    }
}
