import Testing

@testable import CodeGen

/// The repositories and mappings of `Generated/Database`, one construct per test.
@Suite struct DatabaseSnippetTests {
    /// A small owner-scoped table: a key with a default, a unique text column, a foreign key and
    /// an index that sorts newest first.
    static let tagSchemas = """
        TagRow:
          x-db-table: tag
          x-db-indexes:
            - columns: [owner_id, {column: created_at, order: desc}, id]
          type: object
          required: [id, name, owner_id, created_at]
          properties:
            id: {type: string, format: uuid, x-db-primary-key: true, x-db-default: gen_random_uuid()}
            name: {type: string, maxLength: 40, x-db-unique: true}
            color: {type: [string, 'null']}
            owner_id: {type: string, format: uuid, x-db-references: user.id}
            created_at: {type: string, format: date-time, x-db-default: now()}
        UserRow:
          x-db-table: user
          type: object
          required: [id]
          properties:
            id: {type: string, format: uuid, x-db-primary-key: true}
        """

    @Test func repositoryStatementsAreStaticSQLWithDefaultsInTheInsert() {
        let database = Snippet(Snippet.document(schemas: Self.tagSchemas)).database
        #expect(database.diagnostics.isEmpty, "\(database.diagnostics)")
        expectLines(
            database.text,
            [
                "public struct TagRepository: Sendable {",
                "public struct NewRow: Sendable {",
                "public var id: UUID?",
                "public var name: String",
                "public var color: String?",
                "public var ownerId: UUID",
                "public var createdAt: Date?",
                "public init(id: UUID? = nil, name: String, color: String? = nil, ownerId: UUID, createdAt: Date? = nil) {",
                "public struct Changes: Sendable {",
                "public var name: String?",
                "public var color: Patch<String>",
                "public enum Violation: Error, Hashable, Sendable {",
                "case duplicateId",
                "case duplicateName",
                "case missingOwnerId",
                #"case "tag_name_key": self = .duplicateName"#,
                #"case "tag_owner_id_fkey": self = .missingOwnerId"#,
                ##"static let insertSQL = #"INSERT INTO "tag" ("id", "name", "color", "owner_id", "created_at") VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, COALESCE($5, now())) RETURNING "id", "name", "color", "owner_id", "created_at""#"##,
                "public func find(id: UUID, ownerId: UUID? = nil) async throws -> TagRow? {",
                "try await database.fetch(Self.findStatement(id: id, ownerId: ownerId))",
                "public static func findStatement(id: UUID, ownerId: UUID? = nil) -> PostgresStatement<TagRow?> {",
                "Self.restrict(&query, ownerId: ownerId)",
                "return PostgresStatement(query) { try $0.first.map(Self.row) }",
                "public func find(name: String) async throws -> TagRow? {",
                "try await database.fetch(Self.findStatement(name: name))",
                // A NUL cannot be stored in text: the lookup is known to find nothing, nothing is sent.
                "public static func findStatement(name: String) -> PostgresStatement<TagRow?> {",
                "if name.utf8.contains(0) { return .known(nil) }",
                "public func list(ownerId: UUID? = nil, skip: Int64 = 0, limit: Int64 = 100) async throws -> [TagRow] {",
                "public func count(ownerId: UUID? = nil) async throws -> Int {",
                "public func page(ownerId: UUID? = nil, skip: Int64 = 0, limit: Int64 = 100) async throws -> (rows: [TagRow], count: Int) {",
                "public func list(ownerId: UUID? = nil, after cursor: Cursor?, limit: Int64 = 100) async throws -> [TagRow] {",
                ##"static let updateSQL = #"UPDATE "tag" SET "name" = CASE WHEN $1 THEN $2 ELSE "name" END, "color" = CASE WHEN $3 THEN $4 ELSE "color" END, "owner_id" = CASE WHEN $5 THEN $6 ELSE "owner_id" END, "created_at" = CASE WHEN $7 THEN $8 ELSE "created_at" END WHERE "id" = $9"#"##,
                "public func update(id: UUID, ownerId: UUID? = nil, _ changes: Changes) async throws -> TagRow? {",
                "changes.color.isPresent,",
                "changes.color.value,",
                #"query.sql += " RETURNING " + Self.columns"#,
                "public func delete(id: UUID, ownerId: UUID? = nil) async throws -> Bool {",
                #"query.sql += " ORDER BY \"created_at\" DESC, \"id\" OFFSET $\(query.binds.count + 1) LIMIT $\(query.binds.count + 2)""#,
            ])
    }

    /// `page` sends the count and the page together (one round trip on a pool or a connection,
    /// which pipeline them): `list` and `count` build their statements in one place each.
    @Test func pageSendsListAndCountInOnePipeline() {
        let database = Snippet(Snippet.document(schemas: Self.tagSchemas)).database
        expectLines(
            database.text,
            [
                "public func list(ownerId: UUID? = nil, skip: Int64 = 0, limit: Int64 = 100) async throws -> [TagRow] {",
                "try await database.query(Self.listQuery(ownerId: ownerId, skip: skip, limit: limit)).map(Self.row)",
                "public func count(ownerId: UUID? = nil) async throws -> Int {",
                "try await database.query(Self.countQuery(ownerId: ownerId)).first?.decode(Int.self) ?? 0",
                "public func page(ownerId: UUID? = nil, skip: Int64 = 0, limit: Int64 = 100) async throws -> (rows: [TagRow], count: Int) {",
                "let results = try await database.query(pipelining: [",
                "Self.listQuery(ownerId: ownerId, skip: skip, limit: limit),",
                "Self.countQuery(ownerId: ownerId),",
                "])",
                "return (try results[0].map(Self.row), try results[1].first?.decode(Int.self) ?? 0)",
                "private static func listQuery(ownerId: UUID?, skip: Int64, limit: Int64) -> PostgresQuery {",
                #"var query = filtered("SELECT \(columns) FROM \"tag\"", ownerId: ownerId)"#,
                "private static func countQuery(ownerId: UUID?) -> PostgresQuery {",
                #"filtered("SELECT count(*) FROM \"tag\"", ownerId: ownerId)"#,
            ])
    }

    /// `created_at DESC, id`: the next page is what sorts after the cursor column by column, each
    /// in its own direction (a row comparison would need one direction for all).
    @Test func keysetConditionFollowsEachColumnsDirection() {
        let database = Snippet(Snippet.document(schemas: Self.tagSchemas)).database
        expectLines(
            database.text,
            [
                "public struct Cursor: Hashable, Sendable {",
                "public var createdAt: Date",
                "public var id: UUID",
                "public init(after row: TagRow) {",
                #"conditions.append("(\"created_at\" < $\(first + 0) OR (\"created_at\" = $\(first + 0) AND \"id\" > $\(first + 1)))")"#,
            ])
    }

    /// A nullable sort column would drop or repeat rows between keyset pages: no cursor then,
    /// and the order falls back to the index's columns for offset pages only.
    @Test func aNullableSortColumnGetsNoKeysetPagination() {
        let schemas = Self.tagSchemas.replacingOccurrences(
            of: "required: [id, name, owner_id, created_at]", with: "required: [id, name, owner_id]"
        )
        .replacingOccurrences(
            of: "created_at: {type: string, format: date-time, x-db-default: now()}",
            with: "created_at: {type: [string, 'null'], format: date-time}")
        let database = Snippet(Snippet.document(schemas: schemas)).database
        expectNoLine(database.text, containing: "init(after row: TagRow)")
        expectNoLine(database.text, containing: "public func list(ownerId: UUID? = nil, after cursor")
        expectLines(
            database.text, ["public func list(ownerId: UUID? = nil, skip: Int64 = 0, limit: Int64 = 100) async throws -> [TagRow] {"])
    }

    @Test func compositeKeysAndUniqueIndexesGetLookups() {
        let schemas = """
            MemberRow:
              x-db-table: member
              x-db-indexes:
                - {columns: [team, nickname], unique: true, name: member_team_nickname}
                - {columns: [nickname]}
              type: object
              required: [team, person, nickname]
              properties:
                team: {type: integer, x-db-primary-key: true}
                person: {type: integer, x-db-primary-key: true}
                nickname: {type: string}
            """
        let database = Snippet(Snippet.document(schemas: schemas)).database
        expectLines(
            database.text,
            [
                "case duplicateTeamPerson",
                "case duplicateTeamNickname",
                #"case "member_team_nickname": self = .duplicateTeamNickname"#,
                "public func find(team: Int, person: Int) async throws -> MemberRow? {",
                "try await database.fetch(Self.findStatement(team: team, person: person))",
                "public static func findStatement(team: Int, person: Int) -> PostgresStatement<MemberRow?> {",
                ##"return PostgresStatement(PostgresQuery(unsafeSQL: #"SELECT "team", "person", "nickname" FROM "member" WHERE "team" = $1 AND "person" = $2"#, binds: [team, person])) { try $0.first.map(Self.row) }"##,
                "public func find(team: Int, nickname: String) async throws -> MemberRow? {",
                "public func findAll(nickname: String) async throws -> [MemberRow] {",
                "public func update(team: Int, person: Int, _ changes: Changes) async throws -> MemberRow? {",
                "public func delete(team: Int, person: Int) async throws -> Bool {",
                #"query.sql += " ORDER BY \"team\", \"person\" OFFSET $\(query.binds.count + 1) LIMIT $\(query.binds.count + 2)""#,
                // Every statement selects `columns`, so rows are read by position.
                "static func row(_ row: PostgresRow) throws -> MemberRow {",
                "try MemberRow(team: row.decode(at: 0), person: row.decode(at: 1), nickname: row.decode(at: 2))",
            ])
    }

    /// Enums bind by raw value and objects as jsonb, as the SQL emitter stores them.
    @Test func enumsBindByRawValueAndObjectsAsJSON() {
        let schemas = """
            TaskRow:
              x-db-table: task
              type: object
              required: [id, state]
              properties:
                id: {type: integer, x-db-primary-key: true}
                state: {type: string, enum: [open, done]}
                labels: {type: array, items: {type: string, enum: [red, blue]}}
                meta: {type: object, properties: {note: {type: string}}}
            """
        let database = Snippet(Snippet.document(schemas: schemas)).database
        expectLines(
            database.text,
            [
                "let rows = try await run(PostgresQuery(unsafeSQL: Self.insertSQL, binds: [row.id, row.state.rawValue, row.labels?.map(\\.rawValue), row.meta.map(PostgresJSON.init)]))"
            ])
    }

    /// Models whose fields are a subset of the row's get mappings; a model with a field the
    /// table lacks gets none (the service maps it by hand), and nothing is guessed.
    @Test func mappingsFollowSubsetsOfTheRow() {
        let schemas =
            Self.tagSchemas + """

                TagPublic:
                  type: object
                  required: [id, name]
                  properties:
                    id: {type: string, format: uuid}
                    name: {type: string}
                    color: {type: [string, 'null']}
                    created_at: {type: [string, 'null'], format: date-time}
                TagCreate:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    color: {type: [string, 'null']}
                TagUpdate:
                  type: object
                  properties:
                    name: {type: string}
                    color: {type: [string, 'null']}
                TagWithCount:
                  type: object
                  required: [name, uses]
                  properties:
                    name: {type: string}
                    uses: {type: integer}
                """
        let paths = """
            /tags:
              post:
                operationId: createTag
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/TagCreate'}}}}
                responses:
                  '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/TagPublic'}}}}
              get:
                operationId: tagCounts
                responses:
                  '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/TagWithCount'}}}}}
            /tags/{id}:
              patch:
                operationId: updateTag
                parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]
                requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/TagUpdate'}}}}
                responses:
                  '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/TagPublic'}}}}
            """
        let database = Snippet(Snippet.document(schemas: schemas, paths: paths)).database
        expectLines(
            database.text,
            [
                "extension TagPublic {",
                "public init(_ row: TagRow) {",
                "self.init(id: row.id, name: row.name, color: row.color, createdAt: row.createdAt)",
                "extension TagRepository.NewRow {",
                "public init(_ value: TagCreate, ownerId: UUID) throws(ValidationErrors) {",
                #"try ServerRuntime.StoredText.check([(value.name, ["body", "name"]), (value.color, ["body", "color"])])"#,
                "self.init(name: value.name, color: value.color, ownerId: ownerId)",
                "extension TagRepository.Changes {",
                "public init(_ value: TagUpdate) throws(ValidationErrors) {",
                "self.init(name: value.name, color: value.color)",
            ])
        expectNoLine(database.text, containing: "extension TagWithCount")
        expectNoLine(database.text, containing: "public init(_ value: TagPublic")
    }

    /// A required row field that is no column cannot be read back: a warning at the table, and
    /// no repository rather than one that fails on every read.
    @Test func aRequiredIgnoredPropertyIsAWarning() {
        let schemas = """
            NoteRow:
              x-db-table: note
              type: object
              required: [id, computed]
              properties:
                id: {type: integer, x-db-primary-key: true}
                computed: {type: string, x-db-ignore: true}
            """
        let database = Snippet(Snippet.document(schemas: schemas)).database
        #expect(
            database.diagnostics == [
                "/snippet/openapi.yaml:7:7: warning: no repository generated for table \"note\": its row type NoteRow requires 'computed', which is not a column (x-db-ignore), so rows cannot be read back"
            ], "\(database.diagnostics)")
        expectNoLine(database.text, containing: "NoteRepository")
    }

    @Test func aDocumentWithoutTablesStillGivesTheTargetASourceFile() {
        let database = Snippet(Snippet.document(schemas: "Thing: {type: object}")).database
        expectLines(database.text, ["public enum GeneratedTables {", "public static let names: [String] = []"])
    }

    /// Bytes bind as bytea: a text column for them would fail every write, so no repository is
    /// written and the warning names the fix; with `x-db-type: bytea` the repository is there.
    @Test func bytesNeedAByteaColumn() {
        let schemas = """
            BlobRow:
              x-db-table: blob
              type: object
              required: [id, data]
              properties:
                id: {type: integer, x-db-primary-key: true}
                data: {type: string, format: byte}
            """
        let text = Snippet(Snippet.document(schemas: schemas)).database
        #expect(text.diagnostics.count == 1, "\(text.diagnostics)")
        #expect(text.diagnostics.first?.contains("column \"data\" holds bytes") == true, "\(text.diagnostics)")
        expectNoLine(text.text, containing: "BlobRepository")
        let bytea = Snippet(
            Snippet.document(schemas: schemas.replacingOccurrences(of: "format: byte}", with: "format: byte, x-db-type: bytea}"))
        ).database
        #expect(bytea.diagnostics.isEmpty, "\(bytea.diagnostics)")
        expectLines(bytea.text, ["public struct BlobRepository: Sendable {", "public var data: Data"])
    }
}
