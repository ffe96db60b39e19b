import ArgumentParser
import CodeGen
import OpenAPI

/// `specgen migrations`: what `generate` does not, on the migrations it wrote.
struct MigrationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations",
        abstract: "Works on the generated SQL migrations.",
        subcommands: [DiscardMigrationCommand.self]
    )
}

/// `specgen migrations discard NNNN`: takes back the newest migration while no database has
/// applied it (a spec change that turned out wrong), so the next `generate` writes that number
/// again from the spec instead of appending a migration that undoes it.
struct DiscardMigrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard",
        abstract: "Removes the newest migration, which no database has applied, and restores the lock before it.",
        discussion: """
            Only the newest migration can be discarded, one at a time, and only one written by this \
            specgen (the lock keeps the tables before it). Nothing checks databases: discard only a \
            migration that no database has applied; the server's migrator refuses a database whose \
            applied migration was changed or removed. Run `specgen generate` afterwards.
            """
    )

    @Argument(help: "The migration's number (0003 or 3).")
    var version: String

    @Option(name: .long, help: "The output folder.")
    var out = "Generated"

    func run() throws {
        guard let number = Int(version), number > 0 else {
            printError("specgen: error: '\(version)' is not a migration number (like 0003)")
            throw ExitCode.failure
        }
        let folder = OutputFolder(path: out)
        do {
            let existing = try ExistingOutput.read(from: folder.path)
            let state = SQLState(lock: existing.schemaLock, migrations: existing.migrations, folder: existing.folder + "/SQL")
            let (files, removed, diagnostics) = SQLEmitter.discard(version: number, previous: state)
            for diagnostic in diagnostics { printError(diagnostic.description) }
            guard let removed, !diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode.failure }
            try folder.discard(removed, writing: files)
            print("discarded \(folder.path)/\(removed); run `specgen generate` to write the next migration from the spec")
        } catch let error as OutputError {
            printError("\(folder.path): error: \(error)")
            throw ExitCode.failure
        }
    }
}
