import ArgumentParser

@main
struct SpecgenCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "specgen",
        abstract: "Reads an OpenAPI document and checks it or generates code from it.",
        version: version,
        subcommands: [
            GenerateCommand.self, LintCommand.self, DiffCommand.self, InspectCommand.self, MigrationsCommand.self, ScaffoldCommand.self,
            BenchCommand.self,
        ]
    )
}
