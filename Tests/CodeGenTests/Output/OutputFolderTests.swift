import Foundation
import Testing

@testable import CodeGen

/// The output folder is written only where bytes change, removes only what it owns, and a
/// failed run leaves the previous files as they were.
@Suite struct OutputFolderTests {
    /// A fresh folder under the system's temporary directory.
    struct Scratch {
        let root: String

        init() throws {
            root =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("specgen-output-tests-\(UUID().uuidString)").resolvingSymlinksInPath().path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        func path(_ relative: String) -> String { root + "/" + relative }

        func write(_ relative: String, _ text: String) throws {
            let url = URL(fileURLWithPath: path(relative))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func read(_ relative: String) -> String? {
            FileManager.default.contents(atPath: path(relative)).map { String(decoding: $0, as: UTF8.self) }
        }

        func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

        /// Inode and modification time, which a rewrite with equal bytes would change.
        func identity(_ relative: String) throws -> (inode: UInt64, modified: Date) {
            let attributes = try FileManager.default.attributesOfItem(atPath: path(relative))
            return ((attributes[.systemFileNumber] as! NSNumber).uint64Value, attributes[.modificationDate] as! Date)
        }

        /// Every file below the root, relative, sorted.
        func allFiles() -> [String] {
            let enumerator = FileManager.default.enumerator(atPath: root)
            var files: [String] = []
            while let next = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path(next), isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(next)
                }
            }
            return files.sorted()
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    let produced = [
        GeneratedFile(path: "openapi.json", contents: "{}\n"),
        GeneratedFile(path: "Swift/Models.swift", contents: "struct A {}\n"),
        GeneratedFile(path: "Swift/Routes/Items.swift", contents: "// items\n"),
        GeneratedFile(path: "TypeScript/schema.ts", contents: "export {}\n"),
        GeneratedFile(path: "SQL/schema.sql", contents: "create table a ();\n"),
    ]

    @Test func firstRunWritesEverythingAndSecondRunNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        #expect(try folder.write(produced) == .init(written: 5, unchanged: 0, removed: 0))
        #expect(scratch.read("Generated/Swift/Routes/Items.swift") == "// items\n")

        let before = try produced.map { try scratch.identity("Generated/" + $0.path) }
        // Modification times have a coarse grain on some file systems: make a rewrite visible.
        Thread.sleep(forTimeInterval: 0.02)
        #expect(try folder.write(produced) == .init(written: 0, unchanged: 5, removed: 0))
        let after = try produced.map { try scratch.identity("Generated/" + $0.path) }
        for (old, new) in zip(before, after) {
            #expect(old.inode == new.inode)
            #expect(old.modified == new.modified)
        }
        #expect(try folder.staleFiles(for: produced).isEmpty)
        // No temporary file is left behind.
        #expect(scratch.allFiles().count == produced.count)
    }

    @Test func onlyChangedFilesAreRewritten() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        try folder.write(produced)
        let untouched = try scratch.identity("Generated/Swift/Models.swift")
        let changedBefore = try scratch.identity("Generated/openapi.json")
        var next = produced
        next[0].contents = "{\"changed\": true}\n"
        #expect(try folder.write(next) == .init(written: 1, unchanged: 4, removed: 0))
        #expect(scratch.read("Generated/openapi.json") == "{\"changed\": true}\n")
        #expect(try scratch.identity("Generated/Swift/Models.swift").inode == untouched.inode)
        // Replaced by rename, never truncated in place: a reader sees the old or the new file whole.
        #expect(try scratch.identity("Generated/openapi.json").inode != changedBefore.inode)
    }

    @Test func checkReportsChangedMissingAndExtraFilesAndWritesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        try folder.write(produced)
        try scratch.write("Generated/Swift/Models.swift", "edited by hand\n")
        try FileManager.default.removeItem(atPath: scratch.path("Generated/TypeScript/schema.ts"))
        try scratch.write("Generated/Swift/Old.swift", "// no longer produced\n")
        try scratch.write("Generated/README.md", "not ours\n")
        let filesBefore = scratch.allFiles()

        let stale = try folder.staleFiles(for: produced)
        #expect(stale == ["Swift/Models.swift", "Swift/Old.swift", "TypeScript/schema.ts"])
        #expect(scratch.allFiles() == filesBefore)
        #expect(scratch.read("Generated/Swift/Models.swift") == "edited by hand\n")
    }

    @Test func removesWhatIsNoLongerProducedButNeverMigrationsOrForeignFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        try folder.write(produced)
        try scratch.write("Generated/Swift/Old/Gone.swift", "// gone\n")
        try scratch.write("Generated/TypeScript/old.ts", "// gone\n")
        try scratch.write("Generated/SQL/migrations/0001_initial.sql", "create table a ();\n")
        try scratch.write("Generated/README.md", "kept\n")
        try scratch.write("Generated/Other/file.txt", "kept\n")
        try scratch.write("outside.txt", "kept\n")

        #expect(try folder.write(produced) == .init(written: 0, unchanged: 5, removed: 2))
        #expect(!scratch.exists("Generated/Swift/Old/Gone.swift"))
        #expect(!scratch.exists("Generated/Swift/Old"))
        #expect(!scratch.exists("Generated/TypeScript/old.ts"))
        #expect(scratch.read("Generated/SQL/migrations/0001_initial.sql") == "create table a ();\n")
        #expect(scratch.read("Generated/README.md") == "kept\n")
        #expect(scratch.read("Generated/Other/file.txt") == "kept\n")
        #expect(scratch.read("outside.txt") == "kept\n")
        #expect(try folder.staleFiles(for: produced).isEmpty)
    }

    @Test func existingMigrationsAreNeverRewritten() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("Generated/SQL/migrations/0001_initial.sql", "create table a ();\n")
        let folder = OutputFolder(path: scratch.path("Generated"))
        let changed = produced + [GeneratedFile(path: "SQL/migrations/0001_initial.sql", contents: "drop table a;\n")]
        #expect(throws: OutputError.migrationChanged("SQL/migrations/0001_initial.sql")) { try folder.write(changed) }
        #expect(scratch.read("Generated/SQL/migrations/0001_initial.sql") == "create table a ();\n")
        #expect(!scratch.exists("Generated/openapi.json"))
        // A new migration is written like any other file.
        let appended =
            produced + [
                GeneratedFile(path: "SQL/migrations/0001_initial.sql", contents: "create table a ();\n"),
                GeneratedFile(path: "SQL/migrations/0002_b.sql", contents: "create table b ();\n"),
            ]
        #expect(try folder.write(appended) == .init(written: 6, unchanged: 1, removed: 0))
    }

    @Test(arguments: [
        "../x", "Swift/../../x", "/etc/passwd", "", "Swift//a.swift", "Swift/./a.swift", "Swift/a/..",
    ])
    func unsafePathsAreRefused(_ path: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        let files = produced + [GeneratedFile(path: path, contents: "x")]
        #expect(throws: OutputError.unsafePath(path)) { try folder.write(files) }
        #expect(throws: OutputError.unsafePath(path)) { try folder.staleFiles(for: files) }
        // Refused before anything was written.
        #expect(scratch.allFiles().isEmpty)
    }

    @Test func pathsOutsideOwnedFoldersAreRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        for path in ["README.md", "Swift", "Other/a.txt"] {
            #expect(throws: OutputError.notOwned(path)) { try folder.write([GeneratedFile(path: path, contents: "x")]) }
        }
        #expect(throws: OutputError.duplicatePath("openapi.json")) { try folder.write(produced + [produced[0]]) }
        #expect(scratch.allFiles().isEmpty)
    }

    @Test func aFolderInTheWayStopsTheRunBeforeAnyFileIsReplaced() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = OutputFolder(path: scratch.path("Generated"))
        try folder.write(produced)
        try FileManager.default.removeItem(atPath: scratch.path("Generated/Swift/Models.swift"))
        try FileManager.default.createDirectory(
            atPath: scratch.path("Generated/Swift/Models.swift"), withIntermediateDirectories: true)
        let next = produced.map { GeneratedFile(path: $0.path, contents: "new " + $0.contents) }
        #expect(throws: OutputError.self) { try folder.write(next) }
        for file in produced where file.path != "Swift/Models.swift" {
            #expect(scratch.read("Generated/" + file.path) == file.contents)
        }
        #expect(scratch.allFiles().allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func aRenameFailingHalfWayPutsBackTheFilesAlreadyReplaced() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var folder = OutputFolder(path: scratch.path("Generated"))
        try folder.write(produced)
        let filesBefore = scratch.allFiles()

        // Every file changes, and one is new; the second rename meets a folder put in its way
        // after staging, as a concurrent process or a crash-recovery tool might.
        let next =
            produced.map { GeneratedFile(path: $0.path, contents: "new " + $0.contents) }
            + [GeneratedFile(path: "Swift/Added.swift", contents: "// added\n")]
        let renames = RenameLog()
        let generated = scratch.path("Generated")
        folder.beforeRename = { path in
            if renames.record(path) == 2 {
                try FileManager.default.removeItem(atPath: generated + "/" + path)
                try FileManager.default.createDirectory(atPath: generated + "/" + path, withIntermediateDirectories: false)
            }
        }
        #expect(throws: OutputError.self) { try folder.write(next) }
        // Staged in the order produced: the first file was already replaced when the second failed.
        #expect(renames.paths == ["openapi.json", "Swift/Models.swift"])
        try FileManager.default.removeItem(atPath: generated + "/Swift/Models.swift")

        // Everything but the file the test itself removed is as before, whole; nothing was added.
        for file in produced where file.path != "Swift/Models.swift" {
            #expect(scratch.read("Generated/" + file.path) == file.contents, "\(file.path)")
        }
        #expect(!scratch.exists("Generated/Swift/Added.swift"))
        #expect(scratch.allFiles() == filesBefore.filter { $0 != "Generated/Swift/Models.swift" })

        // The next run completes.
        folder.beforeRename = nil
        #expect(try folder.write(next) == .init(written: 6, unchanged: 0, removed: 0))
        #expect(try folder.staleFiles(for: next).isEmpty)
    }

    @Test func existingOutputReadsTheLockAndMigrations() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try ExistingOutput.read(from: scratch.path("Generated")).schemaLock == nil)
        try scratch.write("Generated/SQL/schema.lock.json", "{\"tables\": []}\n")
        try scratch.write("Generated/SQL/migrations/0002_b.sql", "b")
        try scratch.write("Generated/SQL/migrations/0001_a.sql", "a")
        try scratch.write("Generated/SQL/migrations/notes.txt", "ignored")
        let existing = try ExistingOutput.read(from: scratch.path("Generated"))
        #expect(existing.schemaLock == "{\"tables\": []}\n")
        #expect(existing.migrations == [.init(name: "0001_a.sql", contents: "a"), .init(name: "0002_b.sql", contents: "b")])
    }
}

/// The paths a `@Sendable` rename hook saw, in order.
private final class RenameLog: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []

    var paths: [String] { lock.withLock { seen } }

    /// Records `path` and returns how many renames there have been, this one included.
    func record(_ path: String) -> Int {
        lock.withLock {
            seen.append(path)
            return seen.count
        }
    }
}
