import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory generate-code [arguments]` runs
/// `specgen generate [arguments]` in the package folder, so `spec/openapi.yaml` and
/// `Generated/` resolve as they do from a shell there. SwiftPM builds `specgen` first.
@main
struct GenerateCode: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let specgen = try context.tool(named: "specgen")
        let process = Process()
        process.executableURL = specgen.url
        process.arguments = ["generate"] + arguments
        process.currentDirectoryURL = context.package.directoryURL
        // specgen's output and diagnostics go straight to the terminal.
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GenerateCodeFailure(status: process.terminationStatus)
        }
    }
}

/// Makes `swift package` exit non-zero when specgen did; the details are already printed.
struct GenerateCodeFailure: Error, CustomStringConvertible {
    var status: Int32
    var description: String { "specgen generate exited with status \(status)" }
}
