import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Runs `tsc --strict --noEmit` on what the emitter writes: the example spec with a usage file
/// that must compile (and whose `@ts-expect-error` lines must be errors), the fixture likewise,
/// the small public documents of the shared corpus, and, under `SPECGEN_CORPUS_FULL=1`
/// (`make test-corpus`), the large ones. A missing `tsc` fails these tests.
///
/// Serialized: each tsc run takes a few hundred megabytes and the machine two cores.
@Suite(.serialized) struct TypeScriptTypeCheckTests {
    /// The small documents checked on every run.
    static let smallCorpus = [
        "oai-3.2-tags-example.yaml", "oai-api-with-examples.yaml", "oai-callback-example.yaml", "oai-link-example.yaml",
        "oai-non-oauth-scopes.yaml", "oai-petstore-expanded.yaml", "oai-petstore.yaml", "oai-tictactoe.yaml",
        "oai-uspto.yaml", "oai-webhook-example.yaml", "cloud-hypervisor.yaml", "fastapi-template-openapi.json",
    ]

    /// The large documents, checked under `SPECGEN_CORPUS_FULL=1`.
    static let fullCorpus = [
        "stripe-spec3.yaml", "box.json", "discourse.yml", "digitalocean/DigitalOcean-public.v2.yaml",
    ]

    @Test func exampleSpecAndItsUsageTypeCheck() async throws {
        try await typeCheck(TypeScriptTestSupport.exampleSpec, usage: "example-usage.ts", label: "spec/openapi.yaml")
    }

    @Test func fixtureAndItsUsageTypeCheck() async throws {
        try await typeCheck(
            TypeScriptTestSupport.fixtures.appendingPathComponent("petstore.yaml"), usage: "petstore-usage.ts",
            label: "Fixtures/petstore.yaml")
    }

    @Test func smallCorpusTypeChecks() async throws {
        let folder = try TypeScriptTestSupport.temporaryFolder("corpus")
        defer { try? FileManager.default.removeItem(at: folder) }
        var roots: [String] = []
        for name in Self.smallCorpus {
            let url = TypeScriptTestSupport.corpus.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                Issue.record("corpus document \(url.path) is missing (set SPECGEN_CORPUS to the corpus folder)")
                continue
            }
            let spec = TypeScriptTestSupport.load(url)
            #expect(!spec.hasErrors, "\(name) does not load: \(spec.diagnostics.entries.prefix(3))")
            let subfolder = name.replacing("/", with: "_")
            try TypeScriptTestSupport.write(TypeScriptTestSupport.emit(spec), to: folder.appendingPathComponent(subfolder))
            roots.append(subfolder + "/index.ts")
        }
        // One run for all: node's start-up is most of the cost for documents this small.
        try await TypeScriptTestSupport.expectTypeChecks(roots, in: folder, label: "the small corpus")
    }

    @Test(.enabled(if: TypeScriptTestSupport.checksFullCorpus, "set SPECGEN_CORPUS_FULL=1 (make test-corpus)"))
    func fullCorpusTypeChecks() async throws {
        var report: [String] = []
        for name in Self.fullCorpus {
            let url = TypeScriptTestSupport.corpus.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                Issue.record("corpus document \(url.path) is missing (set SPECGEN_CORPUS to the corpus folder)")
                continue
            }
            let folder = try TypeScriptTestSupport.temporaryFolder("full")
            defer { try? FileManager.default.removeItem(at: folder) }
            let start = Date()
            let spec = TypeScriptTestSupport.load(url)
            let model = APIModel.build(from: spec)
            let loaded = Date()
            let files = TypeScriptEmitter.emit(model)
            let emitted = Date()
            var byName: [String: String] = [:]
            for file in files { byName[String(file.path.split(separator: "/").last!)] = file.contents }
            try TypeScriptTestSupport.write(byName, to: folder)
            let seconds = try await TypeScriptTestSupport.expectTypeChecks(["index.ts"], in: folder, label: name)
            let bytes = files.reduce(0) { $0 + $1.contents.utf8.count }
            report.append(
                "\(name): load+model \(format(loaded.timeIntervalSince(start)))s, emit \(format(emitted.timeIntervalSince(loaded)))s, "
                    + "\(bytes / 1024) KiB of TypeScript, tsc \(seconds.map(format) ?? "-")s")
        }
        print("TypeScript corpus check:\n  " + report.joined(separator: "\n  "))
    }

    /// Generates for `spec`, adds `usage` as `usage.ts`, and type-checks both.
    private func typeCheck(_ spec: URL, usage: String, label: String) async throws {
        let loaded = TypeScriptTestSupport.load(spec)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.entries)")
        var files = TypeScriptTestSupport.emit(loaded)
        files["usage.ts"] = try TypeScriptTestSupport.fixture(usage)
        let folder = try TypeScriptTestSupport.temporaryFolder("check")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TypeScriptTestSupport.write(files, to: folder)
        try await TypeScriptTestSupport.expectTypeChecks(["index.ts", "usage.ts"], in: folder, label: label)
    }

    private func format(_ seconds: Double) -> String {
        String(Double(Int(seconds * 100)) / 100)
    }
}
