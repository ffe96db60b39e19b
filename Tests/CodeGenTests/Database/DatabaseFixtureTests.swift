import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `Tests/PostgresTests/Generated` is what specgen writes for `Fixtures/tables.yaml` (the models
/// and the repositories, in one module), and `Fixtures/tables-schema.sql` its `schema.sql`, so
/// PostgresTests runs repositories of awkward tables against a real PostgreSQL
/// (`SPECGEN_UPDATE_GOLDEN=1` rewrites them).
@Suite struct DatabaseFixtureTests {
    static let folder = SwiftTestSupport.repository.appendingPathComponent("Tests/CodeGenTests/Database/Fixtures")
    static let spec = folder.appendingPathComponent("tables.yaml")
    static let schema = folder.appendingPathComponent("tables-schema.sql")
    static let generated = SwiftTestSupport.repository.appendingPathComponent("Tests/PostgresTests/Generated")

    @Test func postgresTestsRunAgainstFreshRepositories() throws {
        let spec = SwiftTestSupport.load(Self.spec)
        try #require(!spec.hasErrors, "\(spec.diagnostics.entries)")
        let model = APIModel.build(from: spec)
        let database = DatabaseEmitter(apiModule: "").emit(model)
        #expect(database.diagnostics.isEmpty, "\(database.diagnostics)")
        var files = SwiftTestSupport.emittedSwift(spec)
        for file in database.files {
            let name = "Database" + String(file.path.dropFirst("Database/".count))
            files[name] = file.contents
        }
        let sql = SQLEmitter.emit(model: model, previous: nil)
        let schema = try #require(sql.files.first { $0.path == SQLEmitter.schemaPath }?.contents, "\(sql.diagnostics)")
        if SwiftTestSupport.updatesGoldenFiles {
            try SwiftTestSupport.replaceSwiftFiles(in: Self.generated, with: files)
            try schema.write(to: Self.schema, atomically: true, encoding: .utf8)
            return
        }
        let problems = SwiftTestSupport.differences(files, try SwiftTestSupport.swiftFiles(in: Self.generated))
        #expect(
            problems.isEmpty,
            "Tests/PostgresTests/Generated is stale (SPECGEN_UPDATE_GOLDEN=1 swift test --filter DatabaseFixtureTests):\n  \(problems.joined(separator: "\n  "))"
        )
        #expect(try String(contentsOf: Self.schema, encoding: .utf8) == schema, "tables-schema.sql is stale")
    }
}
