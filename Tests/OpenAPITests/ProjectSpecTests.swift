import OpenAPI
import Testing

@Suite("Project spec")
struct ProjectSpecTests {
    @Test("spec/openapi.yaml loads with no errors and no warnings")
    func projectSpecIsClean() throws {
        let path = TestPaths.repository.appendingPathComponent("spec/openapi.yaml").path
        let loaded = SpecLoader().load(path: path)
        expectNoDiagnostics(loaded)
        let errors = loaded.diagnostics.errorCount
        let warnings = loaded.diagnostics.warningCount
        #expect(errors == 0)
        #expect(warnings == 0)
        let paths = loaded.pathItems.count
        let operations = loaded.operationCount
        let schemas = loaded.document?.components.schemas.count ?? 0
        #expect(paths > 0)
        #expect(operations >= paths)
        #expect(schemas > 0)
    }
}
