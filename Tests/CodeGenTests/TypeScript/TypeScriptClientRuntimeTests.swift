import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Compiles the client generated from the fixture with tsc and runs it under node against a
/// recording `fetch` (`Fixtures/petstore-runtime.mjs`): URLs, query styles, bodies, headers,
/// the bearer token and how responses are read, as they happen, not only as they type-check.
@Suite(.serialized) struct TypeScriptClientRuntimeTests {
    @Test func clientSendsAndReadsWhatTheDocumentSays() async throws {
        guard let tsc = TypeScriptTestSupport.typeScriptCompiler() else { return }
        guard let node = TypeScriptTestSupport.executable("node") ?? TypeScriptTestSupport.executable("nodejs") else {
            Issue.record("node was not found on PATH: the generated client cannot be run (tsc needs it too).")
            return
        }
        let spec = TypeScriptTestSupport.load(TypeScriptTestSupport.fixtures.appendingPathComponent("petstore.yaml"))
        var files = TypeScriptTestSupport.emit(spec)
        files["runtime.mjs"] = try TypeScriptTestSupport.fixture("petstore-runtime.mjs")
        let folder = try TypeScriptTestSupport.temporaryFolder("runtime")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TypeScriptTestSupport.write(files, to: folder)

        let compile = try await TypeScriptTestSupport.run(
            tsc, ["--strict", "--target", "es2022", "--module", "es2022", "--lib", "es2022,dom", "--outDir", "js", "index.ts"],
            in: folder)
        #expect(compile.status == 0, "tsc could not compile index.ts:\n\(compile.output)")
        guard compile.status == 0 else { return }
        // The compiled files are ES modules.
        try "{\"type\":\"module\"}\n".write(to: folder.appendingPathComponent("js/package.json"), atomically: true, encoding: .utf8)

        let run = try await TypeScriptTestSupport.run(node, ["runtime.mjs"], in: folder)
        #expect(run.status == 0 && run.output.contains("ok"), "the client misbehaved under node:\n\(run.output)")

        // node resolves ES module imports only by their full file name: `index.js` re-exports
        // `./schema.js` and `./client.js`, never an extensionless path.
        let load = try await TypeScriptTestSupport.run(
            node,
            [
                "--input-type=module", "-e",
                "const m = await import('./js/index.js'); console.log(Object.keys(m).length > 0 ? 'loaded' : 'empty')",
            ],
            in: folder)
        #expect(load.status == 0 && load.output.contains("loaded"), "index.js does not load as an ES module:\n\(load.output)")
    }
}
