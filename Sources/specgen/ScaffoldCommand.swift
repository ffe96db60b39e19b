import ArgumentParser
import CodeGen
import Foundation
import OpenAPI

/// `specgen scaffold --tag NAME`: a compiling service for a tag that has none yet.
struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Writes a compiling service skeleton for a tag's operations, never over an existing file.",
        discussion: """
            The file is <into>/<Group>Service.swift: a type conforming to the generated <Group>API protocol \
            with one method per operation, each answering 501 until written. Run `specgen generate` first, \
            so the protocol exists. An existing file is left alone (exit 1).
            """
    )

    @Option(name: .long, help: "The OpenAPI document to read.")
    var spec = "spec/openapi.yaml"

    @Option(name: .long, help: "The tag (or operation group) to scaffold, as the spec spells it; case is ignored.")
    var tag: String

    @Option(name: .long, help: "The folder the service goes into.")
    var into = "Sources/App"

    @Option(name: .long, help: "The module of the generated code, imported first (empty: none).")
    var module = "API"

    @Option(name: .long, help: "A type the service keeps as `app` and takes in init(_:), such as AppDependencies.")
    var dependencies: String?

    func run() throws {
        let loaded = SpecLoader().load(path: spec)
        guard !loaded.hasErrors else {
            for diagnostic in loaded.diagnostics.sorted where diagnostic.severity == .error { printError(diagnostic.description) }
            throw ExitCode.failure
        }
        let model = APIModel.build(from: loaded)
        guard let group = ServiceScaffold.group(named: tag, in: model),
            let text = ServiceScaffold.render(
                group: group, model: model, options: .init(module: module, dependencies: dependencies))
        else {
            let known = model.groups.joined(separator: ", ")
            printError("specgen: error: \(spec) has no operations tagged '\(tag)' (groups: \(known.isEmpty ? "none" : known))")
            throw ExitCode.failure
        }
        var folder = into.isEmpty ? "." : into
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        let path = folder + "/" + ServiceScaffold.typeName(group) + ".swift"
        // O_EXCL: the check and the creation are one step, so an existing service is never replaced.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it exists, and scaffold never overwrites a service" : String(cString: strerror(errno))
            printError("specgen: error: \(path): \(reason)")
            throw ExitCode.failure
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            unlink(path)
            printError("specgen: error: \(path): could not write the file")
            throw ExitCode.failure
        }
        print("wrote \(path): \(ServiceScaffold.typeName(group)) conforms to \(group)API; pass it to registerAPIRoutes")
    }
}
