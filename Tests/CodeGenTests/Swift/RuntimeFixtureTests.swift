import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `Tests/ServerRuntimeTests/Generated` is what the Swift emitter writes for
/// `Fixtures/runtime-routes.yaml`, so the runtime's tests run against real generated routes, in
/// the layout the generator writes (`SPECGEN_UPDATE_GOLDEN=1` rewrites the folder).
@Suite struct RuntimeFixtureTests {
    static let spec = SwiftTestSupport.fixtures.appendingPathComponent("runtime-routes.yaml")
    static let folder = SwiftTestSupport.repository.appendingPathComponent("Tests/ServerRuntimeTests/Generated")

    @Test func serverRuntimeTestsRunAgainstFreshGeneratedCode() throws {
        let spec = SwiftTestSupport.load(Self.spec)
        try #require(!spec.hasErrors && spec.diagnostics.entries.isEmpty, "\(spec.diagnostics.entries)")
        let generated = SwiftTestSupport.emittedSwift(spec)
        if SwiftTestSupport.updatesGoldenFiles {
            try SwiftTestSupport.replaceSwiftFiles(in: Self.folder, with: generated)
            return
        }
        let committed = try SwiftTestSupport.swiftFiles(in: Self.folder)
        let problems = SwiftTestSupport.differences(generated, committed)
        #expect(
            problems.isEmpty,
            "Tests/ServerRuntimeTests/Generated is stale (SPECGEN_UPDATE_GOLDEN=1 swift test --filter RuntimeFixtureTests):\n  \(problems.joined(separator: "\n  "))"
        )
    }

    /// `Tests/ServerRuntimeTests/Scaffolded/ItemsService.swift` is `specgen scaffold --tag items
    /// --module ''` for the same spec: compiled with the runtime's tests, it proves a scaffold
    /// compiles against the generated protocol, and a test there calls it.
    @Test func theScaffoldCompilesAgainstTheGeneratedProtocol() throws {
        let model = APIModel.build(from: SwiftTestSupport.load(Self.spec))
        let group = try #require(ServiceScaffold.group(named: "ITEMS", in: model))
        let text = try #require(ServiceScaffold.render(group: group, model: model, options: .init(module: "")))
        let file = SwiftTestSupport.repository.appendingPathComponent("Tests/ServerRuntimeTests/Scaffolded/ItemsService.swift")
        if SwiftTestSupport.updatesGoldenFiles {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(
            try String(contentsOf: file, encoding: .utf8) == text, "stale: SPECGEN_UPDATE_GOLDEN=1 swift test --filter RuntimeFixtureTests")
        #expect(ServiceScaffold.group(named: "no-such-tag", in: model) == nil)
        #expect(text.contains("throw HTTPError(.notImplemented"))
    }
}
