import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// The generated SQL against a real PostgreSQL: `schema.sql` and the migrations applied in
/// order must build the same schema, as `pg_dump --schema-only` shows it, before and after
/// the spec changes.
@Suite struct SQLPostgresTests {
    /// Creates databases for `body` and drops them afterwards, whatever happens.
    final class Databases {
        private(set) var names: [String] = []
        func create(_ purpose: String) async throws -> String {
            let name = try await SQLTestDatabase.create(purpose)
            names.append(name)
            return name
        }
        /// Best effort, in the background: deinit cannot wait, and a database left behind is
        /// harmless and uniquely named.
        deinit {
            let names = names
            Task.detached { for name in names { await SQLTestDatabase.drop(name) } }
        }
    }

    /// `text` with `old` replaced by `new`, failing when the spec no longer has `old`.
    static func edit(_ text: String, _ old: String, _ new: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> String
    {
        try #require(
            text.contains(old), "the frozen example spec no longer contains \(old.debugDescription)", sourceLocation: sourceLocation)
        return text.replacingOccurrences(of: old, with: new)
    }

    static func emitOrFail(
        _ spec: LoadedSpec, _ previous: SQLState?, allowDestructive: Bool = false,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [GeneratedFile] {
        let (files, diagnostics) = SQLEmitter.emit(spec: spec, previous: previous, allowDestructive: allowDestructive)
        try #require(
            SQLTestSupport.errors(diagnostics).isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
        return files
    }

    /// A fresh database built from `schema.sql`, dumped.
    static func freshDump(_ files: [GeneratedFile], _ databases: Databases, _ purpose: String) async throws -> String {
        let database = try await databases.create(purpose)
        try await SQLTestDatabase.apply(
            try #require(SQLTestSupport.file(SQLEmitter.schemaPath, in: files)), to: database, label: "schema.sql")
        return try await SQLTestDatabase.schemaDump(database)
    }

    @Test func migrationsBuildWhatSchemaSQLDescribes() async throws {
        let databases = Databases()
        let path = SQLTestSupport.exampleSpec.path
        let original = try String(contentsOfFile: path, encoding: .utf8)

        // 1. The example spec: schema.sql and 0001 build the same database.
        let first = try Self.emitOrFail(SpecLoader().load(path: path), nil)
        let migrated = try await databases.create("migrated")
        for migration in SQLTestSupport.migrations(in: first) {
            try await SQLTestDatabase.apply(migration.contents, to: migrated, label: migration.path)
        }
        let firstDump = try await Self.freshDump(first, databases, "schema1")
        #expect(firstDump.contains("CREATE TABLE public.\"user\""))
        #expect(try await SQLTestDatabase.schemaDump(migrated) == firstDump)

        // Rows, so the next migrations run against a table that is not empty.
        try await SQLTestDatabase.psql(
            database: migrated,
            command: """
                INSERT INTO "user" (email, hashed_password) VALUES ('ada@example.com', 'x');
                INSERT INTO item (title, description, owner_id) SELECT 'first', 'a description', id FROM "user";
                """)

        // 2. A copy of the spec with a new column (in the middle of the properties), a new
        //    index and a wider varchar: one additive migration.
        var changed = try Self.edit(
            original, "      x-db-table: item\n", "      x-db-table: item\n      x-db-indexes:\n        - columns: [owner_id, created_at]\n"
        )
        changed = try Self.edit(
            changed, "      required: [id, title, owner_id, created_at]", "      required: [id, title, owner_id, created_at, priority]")
        changed = try Self.edit(
            changed,
            "      description: A row of the `item` table.\n      required: [id, title, owner_id, created_at, priority]\n      properties:\n",
            "      description: A row of the `item` table.\n      required: [id, title, owner_id, created_at, priority]\n      properties:\n        priority:\n          type: string\n          enum: [low, normal, high]\n          x-db-default: \"'normal'\"\n"
        )
        let itemStart = try #require(changed.range(of: "    ItemRow:\n"))
        var item = String(changed[itemStart.lowerBound...])
        item = try Self.edit(
            item, "        description:\n          type: [string, 'null']\n          maxLength: 255\n",
            "        description:\n          type: [string, 'null']\n          maxLength: 1000\n")
        changed = String(changed[..<itemStart.lowerBound]) + item
        let changedSpec = SpecLoader(files: .inMemory([path: changed])).load(path: path)
        #expect(!changedSpec.hasErrors, "\(changedSpec.diagnostics.entries)")

        let second = try Self.emitOrFail(changedSpec, SQLTestSupport.state(after: first))
        let newMigrations = SQLTestSupport.migrations(in: second).dropFirst(1)
        #expect(newMigrations.map(\.path) == ["SQL/migrations/0002_add_item_priority_and_more.sql"])
        for migration in newMigrations {
            try await SQLTestDatabase.apply(migration.contents, to: migrated, label: migration.path)
        }
        let secondDump = try await Self.freshDump(second, databases, "schema2")
        #expect(secondDump.contains("priority text DEFAULT 'normal'::text NOT NULL"))
        #expect(secondDump.contains("CREATE INDEX ix_item_owner_id_created_at"))
        #expect(secondDump.contains("description character varying(1000)"))
        #expect(try await SQLTestDatabase.schemaDump(migrated) == secondDump)
        #expect(try await SQLTestDatabase.psql(database: migrated, command: "SELECT priority FROM item").contains("normal"))

        // 3. Destructive steps: refused without the flag, applied with it.
        var shrunk = try Self.edit(
            changed,
            "        priority:\n          type: string\n          enum: [low, normal, high]\n          x-db-default: \"'normal'\"\n", "")
        shrunk = try Self.edit(
            shrunk, "      required: [id, title, owner_id, created_at, priority]",
            "      required: [id, title, description, owner_id, created_at]")
        shrunk = try Self.edit(
            shrunk, "          type: [string, 'null']\n          maxLength: 1000\n", "          type: string\n          maxLength: 500\n")
        let shrunkSpec = SpecLoader(files: .inMemory([path: shrunk])).load(path: path)
        let refused = SQLEmitter.emit(spec: shrunkSpec, previous: SQLTestSupport.state(after: second))
        #expect(refused.files.isEmpty)
        #expect(
            SQLTestSupport.errors(refused.diagnostics).map(\.message).sorted() == [
                #"destructive change: drop column "item"."priority" (pass --allow-destructive to generate it)"#,
                #"destructive change: narrow "item"."description" from varchar(1000) to varchar(500) (pass --allow-destructive to generate it)"#,
                #"destructive change: set NOT NULL on "item"."description": it fails on a NULL there (add an x-db-backfill expression for them) (pass --allow-destructive to generate it)"#,
            ])
        let third = try Self.emitOrFail(shrunkSpec, SQLTestSupport.state(after: second), allowDestructive: true)
        #expect(SQLTestSupport.migrations(in: third).last?.path == "SQL/migrations/0003_drop_item_priority_and_more.sql")
        for migration in SQLTestSupport.migrations(in: third).dropFirst(2) {
            try await SQLTestDatabase.apply(migration.contents, to: migrated, label: migration.path)
        }
        let thirdDump = try await Self.freshDump(third, databases, "schema3")
        #expect(try await SQLTestDatabase.schemaDump(migrated) == thirdDump)
        #expect(try await SQLTestDatabase.psql(database: migrated, command: "SELECT title FROM item").contains("first"))
    }

    @Test func goldenSchemaApplies() async throws {
        let databases = Databases()
        let database = try await databases.create("golden")
        try await SQLTestDatabase.apply(try SQLTestSupport.fixture("golden-schema.sql"), to: database, label: "Fixtures/golden-schema.sql")
        let dump = try await SQLTestDatabase.schemaDump(database)
        #expect(dump.contains("CONSTRAINT task_status_check CHECK"))
        #expect(dump.contains("ON DELETE SET NULL"))
    }
}
