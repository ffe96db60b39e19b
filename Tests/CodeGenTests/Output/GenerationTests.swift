import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `generateFiles` is what `specgen generate` writes: the same spec gives the same files, and
/// writing them makes `--check` pass.
@Suite struct GenerationTests {
    static let spec = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/CodeGenTests/SQL/Fixtures/example-app.yaml").path

    @Test func theProjectSpecGeneratesTheBundledDocumentDeterministically() throws {
        let loaded = SpecLoader().load(path: Self.spec)
        try #require(!loaded.hasErrors)
        let first = generateFiles(for: loaded, options: GenerationOptions(), existing: ExistingOutput())
        let second = generateFiles(
            for: SpecLoader().load(path: Self.spec), options: GenerationOptions(), existing: ExistingOutput())
        #expect(!first.diagnostics.contains { $0.severity == .error })
        #expect(first.files == second.files)
        #expect(first.files.map(\.path) == first.files.map(\.path).sorted())
        let bundle = try #require(first.files.first { $0.path == "openapi.json" })
        // The bundle is the document without its internal schemas.
        let internalNames = APIModel.build(from: loaded).internalComponentNames
        #expect(internalNames == ["UserRow", "ItemRow"])
        #expect(bundle.contents == Bundler.bundle(loaded, omittingSchemas: internalNames))
        #expect(!bundle.contents.contains("hashed_password"))

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("specgen-generation-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = OutputFolder(path: root + "/Generated")
        #expect(try folder.staleFiles(for: first.files) == first.files.map(\.path))
        let summary = try folder.write(first.files)
        #expect(summary.written == first.files.count)
        #expect(try folder.staleFiles(for: second.files).isEmpty)
    }
}
