import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// The full text of `schema.sql`, the lock and `0001` for a small spec that uses every
/// mapping rule and extension, compared with files committed under `Fixtures/`.
///
/// After an intended change of the output, run once with `SPECGEN_UPDATE_GOLDEN=1` (or
/// `SQL_GOLDEN_RECORD=1`) to rewrite the expected files, and review their diff.
@Suite struct SQLGoldenTests {
    static let spec = SpecLoader().load(path: SQLTestSupport.fixtures.appendingPathComponent("golden-spec.yaml").path)

    @Test(arguments: [
        (SQLEmitter.schemaPath, "golden-schema.sql"),
        (SQLEmitter.lockPath, "golden-schema.lock.json"),
        (SQLEmitter.migrationsFolder + "/0001_create_user_task_comment.sql", "golden-0001.sql"),
    ])
    func matchesFixture(path: String, fixture: String) throws {
        #expect(!Self.spec.hasErrors, "\(Self.spec.diagnostics.entries)")
        let (files, diagnostics) = SQLEmitter.emit(spec: Self.spec, previous: nil)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let actual = try #require(SQLTestSupport.file(path, in: files), "no \(path) among \(files.map(\.path))")
        let environment = ProcessInfo.processInfo.environment
        if environment["SQL_GOLDEN_RECORD"] == "1" || environment["SPECGEN_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: SQLTestSupport.fixtures.appendingPathComponent(fixture), atomically: true, encoding: .utf8)
        }
        let expected = try SQLTestSupport.fixture(fixture)
        let difference = SQLTestSupport.firstDifference(actual, expected)
        #expect(difference == nil, "\(path) differs from Fixtures/\(fixture) at \(difference ?? "")\nactual:\n\(actual)")
    }

    @Test func goldenOutputIsTheSameTwice() {
        let first = SQLEmitter.emit(spec: Self.spec, previous: nil)
        let again = SQLEmitter.emit(spec: SpecLoader().load(path: Self.spec.files[0]), previous: nil)
        #expect(first.files == again.files)
    }
}
