import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Tables read from component schemas: the type mapping, NOT NULL, keys, references,
/// indexes and the dependency order.
@Suite struct SQLTableBuilderTests {
    /// A table `t` with a key and one column `value` declared by `schema` (flow YAML), plus a
    /// `Code` schema to refer to.
    static func valueTable(_ schema: String, required: Bool = false) -> (column: SQLColumn?, diagnostics: [Diagnostic]) {
        let (tables, diagnostics) = SQLTestSupport.tables(
            """
            Code:
              type: string
              maxLength: 8
            TRow:
              x-db-table: t
              type: object
              required: [id\(required ? ", value" : "")]
              properties:
                id: {type: integer, x-db-primary-key: true}
                value: \(schema)
            """)
        return (tables.first?.column(named: "value"), diagnostics)
    }

    @Test(arguments: [
        ("{type: string}", "text"),
        ("{type: string, maxLength: 40}", "varchar(40)"),
        ("{type: string, format: email, maxLength: 255}", "varchar(255)"),
        ("{type: string, format: uuid}", "uuid"),
        ("{type: string, format: uuid, maxLength: 36}", "uuid"),
        ("{type: string, format: date-time}", "timestamptz"),
        ("{type: string, format: date}", "date"),
        ("{type: integer}", "integer"),
        ("{type: integer, format: int32}", "integer"),
        ("{type: integer, format: int64}", "bigint"),
        ("{type: number}", "double precision"),
        ("{type: number, format: double}", "double precision"),
        ("{type: number, format: decimal}", "numeric"),
        ("{type: boolean}", "boolean"),
        ("{type: string, enum: [a, b]}", "text"),
        ("{type: string, enum: [a, b], maxLength: 1}", "text"),
        ("{enum: [a, b]}", "text"),
        ("{type: integer, enum: [1, 2]}", "integer"),
        ("{type: array, items: {type: integer}}", "integer[]"),
        ("{type: array, items: {type: string, format: uuid}}", "uuid[]"),
        ("{type: array, items: {type: string, maxLength: 3}}", "varchar(3)[]"),
        ("{type: array, items: {$ref: '#/components/schemas/Code'}}", "varchar(8)[]"),
        ("{type: array, items: {type: array, items: {type: integer}}}", "jsonb"),
        ("{type: array, items: {type: object}}", "jsonb"),
        ("{type: array}", "jsonb"),
        ("{type: object, properties: {a: {type: string}}}", "jsonb"),
        ("{type: object, additionalProperties: {type: string}}", "jsonb"),
        ("{oneOf: [{type: string}, {type: integer}]}", "jsonb"),
        ("{type: [string, integer]}", "jsonb"),
        ("{}", "jsonb"),
        ("true", "jsonb"),
        ("{type: [string, 'null'], format: uuid}", "uuid"),
        ("{anyOf: [{type: string, format: date}, {type: 'null'}]}", "date"),
        ("{$ref: '#/components/schemas/Code'}", "varchar(8)"),
        ("{allOf: [{$ref: '#/components/schemas/Code'}]}", "varchar(8)"),
        ("{$ref: '#/components/schemas/Code', maxLength: 12}", "varchar(12)"),
        ("{type: string, x-db-type: citext}", "citext"),
        ("{type: string, x-db-type: ' numeric(10, 2) '}", "numeric(10, 2)"),
    ])
    func typeMapping(schema: String, expected: String) throws {
        let (column, diagnostics) = Self.valueTable(schema)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(try #require(column).type == expected)
    }

    @Test(arguments: [
        // (schema, required, NOT NULL)
        ("{type: string}", true, true),
        ("{type: string}", false, false),
        ("{type: [string, 'null']}", true, false),
        ("{anyOf: [{type: string}, {type: 'null'}]}", true, false),
        ("{type: string, enum: [a, null]}", true, false),
        ("{$ref: '#/components/schemas/Code'}", true, true),
    ])
    func notNullWhenRequiredAndNotNullable(schema: String, required: Bool, notNull: Bool) throws {
        let (column, diagnostics) = Self.valueTable(schema, required: required)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(try #require(column).isNotNull == notNull)
    }

    @Test func openAPI30NullableReferenceIsNullable() throws {
        let spec = SQLTestSupport.load(
            SQLTestSupport.document(
                schemas: """
                    Code:
                      type: string
                      maxLength: 8
                    TRow:
                      x-db-table: t
                      type: object
                      required: [id, value, plain]
                      properties:
                        id: {type: integer, x-db-primary-key: true}
                        value:
                          allOf: [{$ref: '#/components/schemas/Code'}]
                          nullable: true
                        plain: {type: string, nullable: true}
                    """, version: "3.0.3"))
        let (tables, diagnostics) = SQLTableBuilder.build(spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let table = try #require(tables.first)
        #expect(table.column(named: "value") == SQLColumn(name: "value", type: "varchar(8)", isNotNull: false))
        #expect(table.column(named: "plain")?.isNotNull == false)
    }

    @Test func enumBecomesACheckWithQuotedValues() throws {
        let (column, _) = Self.valueTable("{type: string, enum: [open, \"it's\", null]}")
        #expect(try #require(column).check == #""value" IN ('open', 'it''s')"#)
        let (numbers, _) = Self.valueTable("{type: integer, enum: [1, 2, 3]}")
        #expect(try #require(numbers).check == #""value" IN (1, 2, 3)"#)
        let (mixed, _) = Self.valueTable("{enum: [1, a]}")
        #expect(try #require(mixed).check == nil)
        #expect(mixed?.type == "jsonb")
    }

    @Test func extensionsShapeTheTable() throws {
        let (tables, diagnostics) = SQLTestSupport.tables(
            """
            Id:
              type: string
              format: uuid
              x-db-primary-key: true
              x-db-default: gen_random_uuid()
            Base:
              type: object
              required: [id]
              properties:
                id: {$ref: '#/components/schemas/Id'}
            ThingRow:
              x-db-table: thing
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  required: [code, count, flag, ratio]
                  properties:
                    code: {type: string, maxLength: 10, x-db-unique: true, x-db-index: true}
                    count: {type: integer, x-db-default: 0}
                    flag: {type: boolean, x-db-default: true}
                    ratio: {type: number, x-db-default: 0.5}
                    secret: {type: string, x-db-ignore: true}
                    note: {type: string, x-db-default: "'none'"}
              x-db-indexes:
                - columns: [count, flag]
                - {columns: [code, count], unique: true, name: thing_code_count}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let table = try #require(tables.first)
        #expect(table.name == "thing")
        #expect(table.schemaName == "ThingRow")
        #expect(table.primaryKey == ["id"])
        #expect(table.columns.map(\.name) == ["id", "code", "count", "flag", "ratio", "note"])
        #expect(table.column(named: "id") == SQLColumn(name: "id", type: "uuid", isNotNull: true, defaultExpression: "gen_random_uuid()"))
        #expect(table.column(named: "code") == SQLColumn(name: "code", type: "varchar(10)", isNotNull: true, isUnique: true))
        #expect(table.column(named: "count")?.defaultExpression == "0")
        #expect(table.column(named: "flag")?.defaultExpression == "true")
        #expect(table.column(named: "ratio")?.defaultExpression == "0.5")
        #expect(table.column(named: "note")?.defaultExpression == "'none'")
        #expect(
            table.indexes == [
                SQLIndex(name: "ix_thing_code", columns: ["code"]),
                SQLIndex(name: "ix_thing_count_flag", columns: ["count", "flag"]),
                SQLIndex(name: "thing_code_count", columns: ["code", "count"], isUnique: true),
            ])
    }

    @Test func compositePrimaryKeyInDeclarationOrder() throws {
        let (tables, diagnostics) = SQLTestSupport.tables(
            """
            LinkRow:
              x-db-table: link
              type: object
              properties:
                b: {type: integer, x-db-primary-key: true}
                a: {type: integer, x-db-primary-key: true}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(tables.first?.primaryKey == ["b", "a"])
        #expect(tables.first?.columns.allSatisfy(\.isNotNull) == true)
    }

    @Test func onDeleteActions() throws {
        for (spelling, action) in [
            ("cascade", SQLForeignKey.Action.cascade), ("set null", .setNull), ("SET_NULL", .setNull),
            ("restrict", .restrict), ("no action", .noAction), ("No Action", .noAction),
        ] {
            let (tables, diagnostics) = SQLTestSupport.tables(
                """
                ARow:
                  x-db-table: a
                  type: object
                  properties:
                    id: {type: integer, x-db-primary-key: true}
                    parent: {type: integer, x-db-references: a.id, x-db-on-delete: \(spelling)}
                """)
            #expect(diagnostics.isEmpty, "\(spelling): \(diagnostics)")
            #expect(tables.first?.column(named: "parent")?.reference == SQLForeignKey(table: "a", column: "id", onDelete: action))
        }
    }

    @Test func referencedTablesComeFirst() {
        // Declared leaf first; a self-reference is no dependency.
        let (tables, diagnostics) = SQLTestSupport.tables(
            """
            CRow:
              x-db-table: c
              type: object
              properties:
                id: {type: integer, x-db-primary-key: true}
                b_id: {type: integer, x-db-references: b.id}
                a_id: {type: integer, x-db-references: a.id}
            BRow:
              x-db-table: b
              type: object
              properties:
                id: {type: integer, x-db-primary-key: true}
                a_id: {type: integer, x-db-references: a.id}
                parent_id: {type: integer, x-db-references: b.id}
            DRow:
              x-db-table: d
              type: object
              properties:
                id: {type: integer, x-db-primary-key: true}
            ARow:
              x-db-table: a
              type: object
              properties:
                id: {type: integer, x-db-primary-key: true}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(tables.map(\.name) == ["d", "a", "b", "c"])
    }

    @Test func exampleSpecTables() throws {
        let spec = SpecLoader().load(path: SQLTestSupport.exampleSpec.path)
        let (tables, diagnostics) = SQLTableBuilder.build(spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(Set(tables.map(\.name)) == ["user", "item"])
        let item = try #require(tables.first { $0.name == "item" })
        #expect(item.column(named: "owner_id")?.reference == SQLForeignKey(table: "user", column: "id", onDelete: .cascade))
        #expect(item.indexes == [SQLIndex(name: "ix_item_owner_id", columns: ["owner_id"])])
        #expect(item.column(named: "description") == SQLColumn(name: "description", type: "varchar(255)"))
        let user = try #require(tables.first { $0.name == "user" })
        #expect(user.column(named: "email")?.isUnique == true)
        #expect(
            user.column(named: "created_at")
                == SQLColumn(name: "created_at", type: "timestamptz", isNotNull: true, defaultExpression: "now()"))
    }

    @Test func longNamesAreShortenedStably() {
        let long = String(repeating: "a", count: 40)
        let name = SQLNaming.foreignKey(table: long, column: long)
        #expect(name.utf8.count == 63)
        #expect(name == SQLNaming.foreignKey(table: long, column: long))
        #expect(name != SQLNaming.foreignKey(table: long, column: long + "b"))
        #expect(SQLNaming.primaryKey(table: "item") == "item_pkey")
    }

    @Test func identifiersAreAlwaysQuoted() {
        #expect(SQLIdentifier.quote("user") == #""user""#)
        #expect(SQLIdentifier.quote(#"we"ird"#) == #""we""ird""#)
        #expect(SQLIdentifier.literal("it's") == "'it''s'")
    }
}
