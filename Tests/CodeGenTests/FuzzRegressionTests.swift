import Foundation
import SpecFuzzing
import Testing

/// Every input the fuzzer ever broke the generator with, and the loader's bad documents,
/// replayed through the fuzzer's own entry point: a crash here fails the whole test run.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func inputs(in folder: String) -> [URL] {
        let directory = tests.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test func replayedInputsNeitherCrashNorHang() throws {
        let inputs = Self.inputs(in: "CodeGenTests/FuzzRegressions") + Self.inputs(in: "OpenAPITests/BadDocuments")
        #expect(inputs.count >= 20, "the bad documents are part of the replay")
        var refused = 0
        for input in inputs where !SpecInputCheck.run(Array(try Data(contentsOf: input))) {
            refused += 1
        }
        // Most bad documents stop at the loader; the few that load (recursive schemas, escaped
        // refs) went through the whole generation without crashing.
        #expect(refused >= 15)
    }

    /// The frozen copy of the example app's spec, not `spec/openapi.yaml`, which users edit.
    @Test func theExampleSpecGoesThroughTheWholeGeneration() throws {
        #expect(SpecInputCheck.run(Array(try Data(contentsOf: SQLTestSupport.exampleSpec))))
    }
}
