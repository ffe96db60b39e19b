import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `specgen generate` compares the spec with the last generation's `openapi.json` first.
@Suite struct LastGenerationCheckTests {
    static let old = DiffSnippet.items("type: object\nrequired: [id]\nproperties: {id: {type: string}}")

    /// A scratch output folder holding the bundle of `old`, as a generation leaves it.
    static func folder(bundling old: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specgen-diff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = SourceFiles.inMemory([DiffSnippet.oldPath: old])
        let spec = SpecLoader(files: files).load(path: DiffSnippet.oldPath)
        try Bundler.bundle(spec, files: files).write(toFile: folder + "/openapi.json", atomically: true, encoding: .utf8)
        return folder
    }

    static func load(_ text: String) -> LoadedSpec {
        SpecLoader(files: .inMemory([DiffSnippet.newPath: text])).load(path: DiffSnippet.newPath)
    }

    @Test func breakingChangeStopsGeneration() throws {
        let folder = try Self.folder(bundling: Self.old)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let new = Self.load(DiffSnippet.items("type: object\nproperties: {id: {type: string}}"))
        let check = LastGenerationCheck(spec: new, specName: DiffSnippet.newPath, outputFolder: folder)
        #expect(check.breaking.map(\.rule.id) == ["response-property-became-optional"])
        #expect(check.problem == nil)
        #expect(check.summary(allowed: false).hasSuffix("pass --allow-breaking to generate anyway"))
        #expect(check.summary(allowed: true).hasSuffix("allowed by --allow-breaking"))
    }

    @Test func unchangedAndCompatibleSpecsPass() throws {
        let folder = try Self.folder(bundling: Self.old)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(LastGenerationCheck(spec: Self.load(Self.old), specName: "spec", outputFolder: folder).breaking.isEmpty)
        let added = Self.load(DiffSnippet.items("type: object\nrequired: [id]\nproperties: {id: {type: string}, note: {type: string}}"))
        #expect(LastGenerationCheck(spec: added, specName: "spec", outputFolder: folder).breaking.isEmpty)
    }

    @Test func firstGenerationHasNothingToCompare() {
        let check = LastGenerationCheck(spec: Self.load(Self.old), specName: "spec", outputFolder: "/nonexistent-\(UUID().uuidString)")
        #expect(check.breaking.isEmpty)
        #expect(check.problem == nil)
    }

    @Test func unreadableLastGenerationIsAWarning() throws {
        let folder = try Self.folder(bundling: Self.old)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{".write(toFile: folder + "/openapi.json", atomically: true, encoding: .utf8)
        let check = LastGenerationCheck(spec: Self.load(Self.old), specName: "spec", outputFolder: folder)
        #expect(check.breaking.isEmpty)
        #expect(check.problem?.contains("breaking changes not checked") == true)
    }
}
