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
}
