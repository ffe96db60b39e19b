import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// How a schema evolves without losing rows: `x-db-renamed-from` (tables and columns),
/// `x-db-backfill` for columns that become NOT NULL, CHECKs from numeric bounds, ordered and
/// partial indexes, and `discard` of a migration no database applied.
@Suite struct SQLEvolutionTests {
    /// `author` and `note` (a note belongs to an author); `noteProperties` and `authorProperties`
    /// are extra property lines, `noteExtra` extra schema-level lines of the note table.
    static func spec(
        authorTable: String = "author", authorExtra: String = "", email: String = "email",
        emailExtra: String = "", noteProperties: [String] = [], noteRequired: [String] = [], noteExtra: String = ""
    ) -> LoadedSpec {
        let properties = noteProperties.map { "    " + $0 }.joined(separator: "\n")
        return SQLTestSupport.spec(
            schemas: """
                AuthorRow:
                  x-db-table: \(authorTable)
                \(authorExtra)
                  type: object
                  required: [id, \(email)]
                  properties:
                    id: {type: string, format: uuid, x-db-primary-key: true, x-db-default: gen_random_uuid()}
                    \(email): {type: string, maxLength: 255, x-db-unique: true\(emailExtra)}
                NoteRow:
                  x-db-table: note
                \(noteExtra)
                  type: object
                  required: [\((["id", "body", "author_id"] + noteRequired).joined(separator: ", "))]
                  properties:
                    id: {type: string, format: uuid, x-db-primary-key: true, x-db-default: gen_random_uuid()}
                    body: {type: string, maxLength: 100}
                    author_id: {type: string, format: uuid, x-db-references: \(authorTable).id, x-db-on-delete: cascade, x-db-index: true}
                \(properties)
                """)
    }

    static func emit(_ spec: LoadedSpec, _ previous: SQLState?, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> [GeneratedFile]
    {
        let (files, diagnostics) = SQLEmitter.emit(spec: spec, previous: previous)
        try #require(
            SQLTestSupport.errors(diagnostics).isEmpty, "\(diagnostics.map(\.description))", sourceLocation: sourceLocation)
        return files
    }

    static func statements(_ file: GeneratedFile?) -> [String] {
        (file?.contents ?? "").split(separator: "\n").map(String.init).filter { !$0.hasPrefix("--") }
    }

    // MARK: - Renames

    @Test func aRenamedColumnIsRenamedWithItsConstraintsNotDroppedAndAdded() throws {
        let first = try Self.emit(Self.spec(), nil)
        let renamed = Self.spec(email: "email_address", emailExtra: ", x-db-renamed-from: email")
        let second = try Self.emit(renamed, SQLTestSupport.state(after: first))
        let migration = try #require(SQLTestSupport.migrations(in: second).last)
        #expect(migration.path == "SQL/migrations/0002_rename_author_email_to_email_address.sql")
        #expect(
            Self.statements(migration) == [
                #"ALTER TABLE "author" RENAME COLUMN "email" TO "email_address";"#,
                #"ALTER TABLE "author" RENAME CONSTRAINT "author_email_key" TO "author_email_address_key";"#,
            ])
        // The next run sees nothing to do: the lock records the new name, the old one is stale.
        let third = try Self.emit(renamed, SQLTestSupport.state(after: second))
        #expect(SQLTestSupport.migrations(in: third).count == 2)
    }

    @Test func aRenamedTableKeepsItsRowsAndItsConstraintNamesFollow() throws {
        let first = try Self.emit(Self.spec(), nil)
        let renamed = Self.spec(authorTable: "writer", authorExtra: "  x-db-renamed-from: [author]")
        let second = try Self.emit(renamed, SQLTestSupport.state(after: first))
        let migration = try #require(SQLTestSupport.migrations(in: second).last)
        #expect(migration.path == "SQL/migrations/0002_rename_author_to_writer.sql")
        #expect(
            Self.statements(migration) == [
                #"ALTER TABLE "author" RENAME TO "writer";"#,
                #"ALTER TABLE "writer" RENAME CONSTRAINT "author_pkey" TO "writer_pkey";"#,
                #"ALTER TABLE "writer" RENAME CONSTRAINT "author_email_key" TO "writer_email_key";"#,
            ])
    }

    @Test func aRenameNamingNothingIsAWarningAndTheColumnIsAdded() throws {
        let first = try Self.emit(Self.spec(), nil)
        let (files, diagnostics) = SQLEmitter.emit(
            spec: Self.spec(noteProperties: ["title: {type: string, x-db-renamed-from: heading}"]),
            previous: SQLTestSupport.state(after: first))
        #expect(SQLTestSupport.migrations(in: files).last?.path == "SQL/migrations/0002_add_note_title.sql")
        #expect(
            diagnostics.map(\.message) == [
                #"x-db-renamed-from "heading" of column "note"."title" names no column the migrations built (or one the spec still has): the column is added, empty"#
            ])
        #expect(diagnostics.first?.location.line ?? 0 > 1)
    }

    @Test func swappingTwoColumnsIsAWarningNotASilentNoOp() throws {
        let first = try Self.emit(Self.spec(noteProperties: ["left: {type: string}", "right: {type: string}"]), nil)
        let (files, diagnostics) = SQLEmitter.emit(
            spec: Self.spec(noteProperties: [
                "left: {type: string, x-db-renamed-from: right}", "right: {type: string, x-db-renamed-from: left}",
            ]),
            previous: SQLTestSupport.state(after: first))
        #expect(SQLTestSupport.migrations(in: files).count == 1)
        #expect(diagnostics.count == 2)
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("swapping names is not supported") })
    }

    @Test func twoColumnsRenamedFromOneIsAnError() throws {
        let first = try Self.emit(Self.spec(), nil)
        let text = SQLTestSupport.document(
            schemas: """
                AuthorRow:
                  x-db-table: author
                  type: object
                  required: [id, email]
                  properties:
                    id: {type: string, format: uuid, x-db-primary-key: true, x-db-default: gen_random_uuid()}
                    email: {type: string, maxLength: 255, x-db-unique: true}
                NoteRow:
                  x-db-table: note
                  type: object
                  required: [id, author_id]
                  properties:
                    id: {type: string, format: uuid, x-db-primary-key: true, x-db-default: gen_random_uuid()}
                    author_id: {type: string, format: uuid, x-db-references: author.id, x-db-on-delete: cascade, x-db-index: true}
                    text: {type: string, x-db-renamed-from: body}
                    content: {type: string, x-db-renamed-from: body}
                """)
        let (files, diagnostics) = SQLEmitter.emit(spec: SQLTestSupport.load(text), previous: SQLTestSupport.state(after: first))
        #expect(files.isEmpty)
        #expect(
            SQLTestSupport.errors(diagnostics).map(\.message) == [
                #"columns "text" and "content" of table "note" are both x-db-renamed-from "body""#
            ])
    }

    @Test func badRenamedFromValuesAreErrors() {
        let (_, diagnostics) = SQLTestSupport.tables(
            """
            T:
              x-db-table: t
              x-db-renamed-from: 12
              type: object
              properties:
                id: {type: integer, x-db-primary-key: true, x-db-renamed-from: [""]}
            """)
        let messages = SQLTestSupport.errors(diagnostics).map(\.message)
        #expect(messages.filter { $0.hasPrefix("x-db-renamed-from ") }.count == 2, "\(messages)")
    }

    // MARK: - Backfill

    @Test func aNotNullColumnWithABackfillIsAddedFilledThenConstrained() throws {
        let first = try Self.emit(Self.spec(), nil)
        let second = try Self.emit(
            Self.spec(noteProperties: ["rank: {type: integer, minimum: 0, x-db-backfill: '0'}"], noteRequired: ["rank"]),
            SQLTestSupport.state(after: first))
        #expect(
            Self.statements(SQLTestSupport.migrations(in: second).last) == [
                #"ALTER TABLE "note" ADD COLUMN "rank" integer;"#,
                #"UPDATE "note" SET "rank" = 0 WHERE "rank" IS NULL;"#,
                #"ALTER TABLE "note" ALTER COLUMN "rank" SET NOT NULL;"#,
                #"ALTER TABLE "note" ADD CONSTRAINT "note_rank_check" CHECK ("rank" >= 0);"#,
            ])
    }

    @Test func withoutABackfillANotNullColumnIsRefusedWithTheWayOut() throws {
        let first = try Self.emit(Self.spec(), nil)
        let (files, diagnostics) = SQLEmitter.emit(
            spec: Self.spec(noteProperties: ["rank: {type: integer}"], noteRequired: ["rank"]),
            previous: SQLTestSupport.state(after: first))
        #expect(files.isEmpty)
        let message = try #require(SQLTestSupport.errors(diagnostics).first?.message)
        #expect(message.contains(#"add NOT NULL column "note"."rank" without a default"#))
        #expect(message.contains("x-db-backfill"))
    }

    @Test func makingAColumnRequiredWithABackfillFillsTheNullsFirst() throws {
        let first = try Self.emit(Self.spec(noteProperties: ["tag: {type: string}"]), nil)
        let second = try Self.emit(
            Self.spec(noteProperties: ["tag: {type: string, x-db-backfill: \"'none'\"}"], noteRequired: ["tag"]),
            SQLTestSupport.state(after: first))
        #expect(
            Self.statements(SQLTestSupport.migrations(in: second).last) == [
                #"UPDATE "note" SET "tag" = 'none' WHERE "tag" IS NULL;"#,
                #"ALTER TABLE "note" ALTER COLUMN "tag" SET NOT NULL;"#,
            ])
    }

    // MARK: - Checks and indexes

    @Test func numericBoundsAndEnumsBecomeOneCheck() throws {
        let (tables, diagnostics) = SQLTestSupport.tables(
            """
            T:
              x-db-table: t
              type: object
              properties:
                id: {type: integer, x-db-primary-key: true}
                score: {type: number, minimum: 0.5, exclusiveMaximum: 100}
                level: {type: integer, enum: [1, 2, 3], maximum: 2}
                label: {type: string, minimum: 3}
            """)
        #expect(diagnostics.isEmpty)
        let table = try #require(tables.first)
        #expect(table.column(named: "score")?.check == #""score" >= 0.5 AND "score" < 100"#)
        #expect(table.column(named: "level")?.check == #""level" IN (1, 2, 3) AND "level" <= 2"#)
        #expect(table.column(named: "label")?.check == nil)
    }

    @Test func indexesTakeOrderAndAPartialPredicate() throws {
        let files = try Self.emit(
            Self.spec(
                noteProperties: ["created_at: {type: string, format: date-time}"],
                noteExtra: """
                      x-db-indexes:
                        - columns: [author_id, {column: created_at, order: desc}, id]
                          where: created_at IS NOT NULL
                    """), nil)
        let schema = try #require(SQLTestSupport.file(SQLEmitter.schemaPath, in: files))
        #expect(
            schema.contains(
                #"CREATE INDEX "ix_note_author_id_created_at_id" ON "note" ("author_id", "created_at" DESC, "id") WHERE created_at IS NOT NULL;"#
            ))
        // The lock records order and predicate: the same spec again is no change.
        let again = try Self.emit(
            Self.spec(
                noteProperties: ["created_at: {type: string, format: date-time}"],
                noteExtra: """
                      x-db-indexes:
                        - columns: [author_id, {column: created_at, order: desc}, id]
                          where: created_at IS NOT NULL
                    """), SQLTestSupport.state(after: files))
        #expect(SQLTestSupport.migrations(in: again).count == 1)
    }

    @Test func badIndexColumnsAndPredicatesAreErrors() {
        let (_, diagnostics) = SQLTestSupport.tables(
            """
            T:
              x-db-table: t
              type: object
              x-db-indexes:
                - columns: [{column: id, order: sideways}]
                - columns: [id]
                  where: "true; DROP TABLE t"
              properties:
                id: {type: integer, x-db-primary-key: true}
            """)
        let messages = SQLTestSupport.errors(diagnostics).map(\.message)
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.first?.contains("{column: name, order: asc|desc}") == true)
        #expect(messages.last?.hasPrefix("'where'") == true)
    }

    // MARK: - Discard

    @Test func discardRestoresTheLockSoTheNextRunWritesThatNumberAgain() throws {
        let first = try Self.emit(Self.spec(), nil)
        let mistaken = try Self.emit(Self.spec(noteProperties: ["color: {type: string}"]), SQLTestSupport.state(after: first))
        #expect(SQLTestSupport.migrations(in: mistaken).last?.path == "SQL/migrations/0002_add_note_color.sql")

        let (files, removed, diagnostics) = SQLEmitter.discard(version: 2, previous: SQLTestSupport.state(after: mistaken))
        #expect(diagnostics.isEmpty)
        #expect(removed == "SQL/migrations/0002_add_note_color.sql")
        #expect(SQLTestSupport.file(SQLEmitter.schemaPath, in: files) == SQLTestSupport.file(SQLEmitter.schemaPath, in: first))
        var state = SQLTestSupport.state(after: first)
        state.lock = SQLTestSupport.file(SQLEmitter.lockPath, in: files)

        let corrected = try Self.emit(Self.spec(noteProperties: ["colour: {type: string}"]), state)
        #expect(SQLTestSupport.migrations(in: corrected).map(\.path).last == "SQL/migrations/0002_add_note_colour.sql")

        // The lock no longer records what came before 0001's successor... so only once.
        let again = SQLEmitter.discard(version: 1, previous: state)
        #expect(again.removed == nil)
        #expect(SQLTestSupport.errors(again.diagnostics).first?.message.contains("does not record the tables before") == true)
    }

    @Test func onlyTheNewestMigrationCanBeDiscarded() throws {
        let first = try Self.emit(Self.spec(), nil)
        let second = try Self.emit(Self.spec(noteProperties: ["color: {type: string}"]), SQLTestSupport.state(after: first))
        let state = SQLTestSupport.state(after: second)
        #expect(
            SQLEmitter.discard(version: 1, previous: state).diagnostics.first?.message
                == "migration 1 is not the newest (the newest is 0002_add_note_color.sql): only the newest migration can be discarded, one at a time"
        )
        #expect(SQLEmitter.discard(version: 7, previous: state).diagnostics.first?.message.hasPrefix("there is no migration 7") == true)
        #expect(SQLEmitter.discard(version: 1, previous: SQLState()).diagnostics.first?.message == "there is no migration to discard")
    }

    // MARK: - Against PostgreSQL

    /// Renames, a backfilled column, a CHECK and an ordered partial index applied to tables
    /// holding rows: the rows survive, and the migrated database equals one built from the new
    /// `schema.sql` (so every renamed constraint got the name later migrations compute).
    @Test func evolvingATableWithRowsKeepsThemAndMatchesSchemaSQL() async throws {
        let databases = SQLPostgresTests.Databases()
        let first = try Self.emit(Self.spec(), nil)
        let migrated = try await databases.create("evolve")
        for migration in SQLTestSupport.migrations(in: first) {
            try await SQLTestDatabase.apply(migration.contents, to: migrated, label: migration.path)
        }
        try await SQLTestDatabase.psql(
            database: migrated,
            command: """
                INSERT INTO author (email) VALUES ('ada@example.com');
                INSERT INTO note (body, author_id) SELECT 'kept', id FROM author;
                """)
        let evolved = Self.spec(
            authorTable: "writer", authorExtra: "  x-db-renamed-from: author", email: "email_address",
            emailExtra: ", x-db-renamed-from: email",
            noteProperties: [
                "rank: {type: integer, minimum: 0, maximum: 10, x-db-backfill: '5'}",
                "created_at: {type: string, format: date-time, x-db-default: now()}",
            ],
            noteRequired: ["rank", "created_at"],
            noteExtra: """
                  x-db-indexes:
                    - columns: [author_id, {column: created_at, order: desc}, id]
                """)
        let second = try Self.emit(evolved, SQLTestSupport.state(after: first))
        for migration in SQLTestSupport.migrations(in: second).dropFirst() {
            try await SQLTestDatabase.apply(migration.contents, to: migrated, label: migration.path)
        }
        let fresh = try await SQLPostgresTests.freshDump(second, databases, "evolved")
        #expect(try await SQLTestDatabase.schemaDump(migrated) == fresh)
        let rows = try await SQLTestDatabase.psql(
            database: migrated, command: "SELECT w.email_address, n.body, n.rank FROM note n JOIN writer w ON w.id = n.author_id")
        #expect(rows.contains("ada@example.com|kept|5"), "\(rows)")
        await #expect(throws: (any Error).self) {
            try await SQLTestDatabase.psql(database: migrated, command: "UPDATE note SET rank = 11")
        }
    }
}
