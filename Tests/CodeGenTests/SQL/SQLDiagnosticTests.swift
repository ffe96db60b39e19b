import OpenAPI
import Testing

@testable import CodeGen

/// Bad `x-db-*` input: each case is a diagnostic at the schema or property that holds it,
/// never a crash, and the emitter writes nothing.
@Suite struct SQLDiagnosticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var schemas: String
        /// Part of the expected message.
        var message: String
        /// A text on the line the diagnostic must point at.
        var marker: String
        var severity: Diagnostic.Severity = .error
        var testDescription: String { name }
    }

    /// A valid `user` table the cases can refer to.
    static let user = """
        UserRow:
          x-db-table: user
          type: object
          properties:
            id: {type: string, format: uuid, x-db-primary-key: true}
            email: {type: string}
        """

    static let cases: [Case] = [
        Case(
            name: "x-db-table not a string",
            schemas: "BadRow:\n  x-db-table: 5\n  type: object",
            message: "x-db-table of schema 'BadRow' must be a table name (a string), not 5", marker: "x-db-table: 5"),
        Case(
            name: "x-db-table a list",
            schemas: "BadRow:\n  x-db-table: [a, b]\n  type: object",
            message: #"must be a table name (a string), not ["a","b"]"#, marker: "x-db-table: [a, b]"),
        Case(
            name: "empty x-db-table",
            schemas: "BadRow:\n  x-db-table: ''\n  type: object",
            message: "cannot name a table: it is empty", marker: "x-db-table: ''"),
        Case(
            name: "reference to an unknown table",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner: {type: string, format: uuid, x-db-references: nobody.id}",
            message: #"x-db-references nobody.id of column "item"."owner" names an unknown table "nobody" (tables: "user", "item")"#,
            marker: "owner: {"),
        Case(
            name: "reference to an unknown column",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner: {type: string, format: uuid, x-db-references: user.uid}",
            message: #"names an unknown column: table "user" has no column "uid""#, marker: "owner: {"),
        Case(
            name: "reference not written table.column",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner: {type: string, format: uuid, x-db-references: user}",
            message: #"x-db-references "user" of property 'owner' of table "item" must be written table.column"#,
            marker: "owner: {"),
        Case(
            name: "reference to a column that is not unique",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner_email: {type: string, x-db-references: user.email}",
            message: "the referenced column must be the table's primary key or unique", marker: "owner_email: {"),
        Case(
            name: "reference between different types",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner: {type: integer, x-db-references: user.id}",
            message: #"the column is integer but "user"."id" is uuid; a foreign key needs the same type"#, marker: "owner: {"),
        Case(
            name: "missing primary key",
            schemas: "ThingRow:\n  x-db-table: thing\n  type: object\n  properties:\n    name: {type: string}",
            message: #"table "thing" (schema 'ThingRow') has no primary key: every table needs one"#,
            marker: "x-db-table: thing"),
        Case(
            name: "unknown on-delete action",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner: {type: string, format: uuid, x-db-references: user.id, x-db-on-delete: explode}",
            message:
                #"unknown x-db-on-delete action "explode" on property 'owner' of table "item": expected one of cascade, set null, restrict, no action"#,
            marker: "owner: {"),
        Case(
            name: "set null on a NOT NULL column",
            schemas: user
                + "\nItemRow:\n  x-db-table: item\n  required: [owner]\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    owner: {type: string, format: uuid, x-db-references: user.id, x-db-on-delete: set null}",
            message: #"x-db-on-delete: set null on column "item"."owner", which is NOT NULL"#, marker: "owner: {"),
        Case(
            name: "duplicate table names",
            schemas: user + "\nOtherUserRow:\n  x-db-table: user  # again\n  properties:\n    id: {type: integer, x-db-primary-key: true}",
            message: #"duplicate table name "user": schemas 'UserRow' and 'OtherUserRow' both declare it"#,
            marker: "user  # again"),
        Case(
            name: "x-db-type with a semicolon",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-type: 'text; DROP TABLE thing'}",
            message: #"unsupported x-db-type "text; DROP TABLE thing" on property 'name' of table "thing": it contains ';'"#,
            marker: "name: {"),
        Case(
            name: "x-db-type with a comment",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-type: 'text -- hi'}",
            message: "it contains '--'", marker: "name: {"),
        Case(
            name: "x-db-type not a string",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-type: 5}",
            message: "x-db-type of property 'name' of table \"thing\" must be a PostgreSQL type (a string), not 5", marker: "name: {"),
        Case(
            name: "x-db-default leaving a parenthesis open",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    at: {type: string, x-db-default: 'now('}",
            message: #"unsupported x-db-default "now(" on property 'at' of table "thing": it leaves a '(' open"#, marker: "at: {"),
        Case(
            name: "x-db-default a list",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    at: {type: string, x-db-default: [1]}",
            message: "x-db-default of property 'at' of table \"thing\" must be an SQL expression (a string), not [1]", marker: "at: {"),
        Case(
            name: "flag not a boolean",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-unique: 'yes'}",
            message: #"x-db-unique of property 'name' of table "thing" must be true or false, not "yes""#, marker: "name: {"),
        Case(
            name: "index on an unknown column",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n  x-db-indexes:\n    - columns: [id, nope]",
            message: #"x-db-indexes of table "thing" names column "nope", which the table does not have"#,
            marker: "x-db-table: thing"),
        Case(
            name: "index without columns",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n  x-db-indexes:\n    - unique: true",
            message: "needs 'columns', a non-empty list of column names", marker: "x-db-table: thing"),
        Case(
            name: "two indexes with one name",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-index: true}\n  x-db-indexes:\n    - columns: [name]",
            message: #"the name "ix_thing_name" is used twice"#, marker: "x-db-table: thing"),
        Case(
            name: "foreign key cycle",
            schemas:
                "ARow:\n  x-db-table: a\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    b_id: {type: integer, x-db-references: b.id}\nBRow:\n  x-db-table: b\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    a_id: {type: integer, x-db-references: a.id}",
            message: #"foreign keys form a cycle ("a" → "b" → "a")"#, marker: "x-db-table: a"),
        Case(
            name: "column name too long",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    \(String(repeating: "n", count: 64)): {type: string}",
            message: "cannot name a column: it is 64 bytes long and PostgreSQL keeps only 63", marker: "nnnn: {"),
        Case(
            name: "unknown extension",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-uniqe: true}",
            message: #"unknown extension x-db-uniqe on property 'name' of table "thing" (ignored)"#, marker: "name: {",
            severity: .warning),
        Case(
            name: "on-delete without references",
            schemas:
                "ThingRow:\n  x-db-table: thing\n  properties:\n    id: {type: integer, x-db-primary-key: true}\n    name: {type: string, x-db-on-delete: cascade}",
            message: "x-db-on-delete on property 'name' of table \"thing\" has no effect without x-db-references",
            marker: "name: {", severity: .warning),
    ]

    @Test(arguments: cases)
    func reportsAtTheDeclaration(_ testCase: Case) throws {
        let text = SQLTestSupport.document(schemas: testCase.schemas)
        let spec = SQLTestSupport.load(text)
        #expect(!spec.hasErrors, "the case's document does not load: \(spec.diagnostics.entries)")
        let (_, diagnostics) = SQLTableBuilder.build(spec)
        let found = try #require(
            diagnostics.first { $0.message.contains(testCase.message) },
            "no diagnostic says \(testCase.message); got:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(found.severity == testCase.severity)
        #expect(found.location.file == SQLTestSupport.virtualPath)
        let markerStart = try #require(text.range(of: testCase.marker), "marker not in the document").lowerBound
        let expectedLine = text[..<markerStart].filter { $0 == "\n" }.count + 1
        #expect(found.location.line == expectedLine, "\(found)")

        // The emitter refuses to write anything on an error, and warnings do not stop it.
        let (files, emitted) = SQLEmitter.emit(spec: spec, previous: nil)
        #expect(emitted.contains(found))
        #expect(files.isEmpty == (testCase.severity == .error))
    }

    @Test func everyProblemIsReportedInOneRun() {
        let (_, diagnostics) = SQLTestSupport.tables(
            """
            ARow:
              x-db-table: a
              properties:
                x: {type: string, x-db-type: 'a;b', x-db-unique: 1}
            BRow:
              x-db-table: 7
            """)
        let errors = SQLTestSupport.errors(diagnostics).map(\.message)
        #expect(errors.count == 4, "\(errors)")
    }

    @Test func aDocumentThatDidNotLoadIsAnError() {
        let spec = SQLTestSupport.load("not: [an openapi document")
        let (files, diagnostics) = SQLEmitter.emit(spec: spec, previous: nil)
        #expect(files.isEmpty)
        #expect(diagnostics.contains { $0.message.contains("the document did not load") })
    }

    @Test func aDocumentWithLoaderErrorsGeneratesNothing() {
        let spec = SQLTestSupport.load(
            SQLTestSupport.document(
                schemas: """
                    ThingRow:
                      x-db-table: thing
                      properties:
                        id: {type: integer, x-db-primary-key: true}
                        kind: {$ref: '#/components/schemas/Missing'}
                    """))
        #expect(spec.hasErrors)
        let (files, diagnostics) = SQLEmitter.emit(spec: spec, previous: nil)
        #expect(files.isEmpty)
        #expect(diagnostics.map(\.message) == ["no SQL generated: the document has errors"])
    }

    @Test func foreignKeysAcceptIntegerFamiliesAndColumnClauses() {
        #expect(SQLTableBuilder.typeFamily("bigint GENERATED ALWAYS AS IDENTITY") == SQLTableBuilder.typeFamily("integer"))
        #expect(SQLTableBuilder.typeFamily("bigserial") == SQLTableBuilder.typeFamily("bigint"))
        #expect(SQLTableBuilder.typeFamily("varchar(10)") == SQLTableBuilder.typeFamily("text"))
        #expect(SQLTableBuilder.typeFamily("uuid") != SQLTableBuilder.typeFamily("text"))
    }
}
