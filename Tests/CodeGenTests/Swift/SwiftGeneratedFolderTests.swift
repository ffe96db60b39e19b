import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `Generated/Swift` (the `API` target) is what the current generator makes of
/// `spec/openapi.yaml`: the check `specgen generate --check` does, for the Swift folder, so a
/// stale checkout fails here with the files that differ.
@Suite struct SwiftGeneratedFolderTests {
    @Test func committedSwiftMatchesTheExampleSpec() throws {
        let spec = SwiftTestSupport.load(SwiftTestSupport.projectSpec)
        try #require(!spec.hasErrors, "spec/openapi.yaml does not load: \(spec.diagnostics.entries)")
        let generated = SwiftTestSupport.generatedSwift(spec)
        try #require(!generated.isEmpty, "spec/openapi.yaml generated no Swift")
        let committed = try SwiftTestSupport.swiftFiles(in: SwiftTestSupport.committedSwift)
        try #require(
            !committed.isEmpty,
            "\(SwiftTestSupport.committedSwift.path) holds no Swift files: run `specgen generate` (or `swift package generate-code`)"
        )
        let problems = SwiftTestSupport.differences(generated, committed)
        #expect(
            problems.isEmpty,
            """
            Generated/Swift is stale: it is not what the current generator makes of spec/openapi.yaml. \
            Run `specgen generate --spec spec/openapi.yaml --out Generated` (or `swift package generate-code`) \
            and commit the result.
              \(problems.joined(separator: "\n  "))
            """)
    }
}
