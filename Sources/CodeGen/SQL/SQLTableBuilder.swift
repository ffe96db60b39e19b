import OpenAPI

/// Reads the tables out of a loaded spec: every component schema with `x-db-table` is a table
/// and its properties (through `$ref` and `allOf`) are its columns, shaped by the `x-db-*`
/// extensions the design lists.
///
/// Bad input becomes diagnostics at the schema or property that holds it, never a crash, and
/// the builder keeps going so one run reports every problem.
public struct SQLTableBuilder {
    /// The extensions a property may carry.
    public static let propertyKeys: Set<String> = [
        "x-db-primary-key", "x-db-default", "x-db-references", "x-db-on-delete", "x-db-unique",
        "x-db-index", "x-db-type", "x-db-ignore", "x-db-renamed-from", "x-db-backfill",
    ]
    /// The property extensions a table schema may carry too.
    static let sharedKeys: Set<String> = ["x-db-renamed-from"]
    /// The keys of one `x-db-indexes` entry.
    static let indexKeys: Set<String> = ["columns", "unique", "name", "where"]
    /// The keys of one `{column: ..., order: ...}` entry of an index's `columns`.
    static let indexColumnKeys: Set<String> = ["column", "order"]

    private let references: ReferenceTable
    private var diagnostics: [Diagnostic] = []

    private init(references: ReferenceTable) {
        self.references = references
    }

    /// The tables of `spec`, referenced tables first, and what is wrong with them. The tables
    /// are only fit to generate from when no diagnostic is an error.
    public static func build(_ spec: LoadedSpec) -> (tables: [SQLTable], diagnostics: [Diagnostic]) {
        guard let document = spec.document else { return ([], []) }
        var builder = SQLTableBuilder(references: spec.references)
        let tables = builder.tables(in: document.components.schemas)
        return (tables, builder.diagnostics)
    }

    private mutating func tables(in schemas: OrderedMap<Schema>) -> [SQLTable] {
        var tables: [SQLTable] = []
        var declaredBy: [String: String] = [:]
        for (schemaName, schema) in schemas {
            guard let value = schema.extensions["x-db-table"] else { continue }
            guard case .string(let name) = value else {
                error(
                    "x-db-table of schema '\(schemaName)' must be a table name (a string), not "
                        + "\(value.jsonText)", schema.location)
                continue
            }
            if let problem = SQLIdentifier.problem(with: name) {
                error(
                    "x-db-table \"\(name)\" of schema '\(schemaName)' cannot name a table: "
                        + "\(problem)", schema.location)
                continue
            }
            if let first = declaredBy[name] {
                error(
                    "duplicate table name \"\(name)\": schemas '\(first)' and '\(schemaName)' both declare it",
                    schema.location)
                continue
            }
            declaredBy[name] = schemaName
            tables.append(table(name, schemaName: schemaName, schema: schema))
        }
        checkReferences(tables)
        checkNames(tables)
        let (ordered, cycle) = SQLTableOrder.sort(tables)
        if let cycle, let first = tables.first(where: { $0.name == cycle[0] }) {
            let loop = cycle.map { "\"\($0)\"" }.joined(separator: " → ")
            error(
                "foreign keys form a cycle (\(loop)): no table of it can be created first; drop one x-db-references",
                first.location)
        }
        return ordered
    }

    // MARK: - One table

    private mutating func table(_ name: String, schemaName: String, schema: Schema) -> SQLTable {
        let view = SQLSchemaView(schema, references: references)
        for key in schema.extensions.keys
        where key.hasPrefix("x-db-") && !SQLSchemaView.tableKeys.contains(key) && !Self.sharedKeys.contains(key) {
            if !Self.propertyKeys.contains(key) {
                warning("unknown extension \(key) on table schema '\(schemaName)' (ignored)", schema.location)
            } else {
                warning("\(key) belongs on a property, not on table schema '\(schemaName)' (ignored)", schema.location)
            }
        }
        var columns: [SQLColumn] = []
        var primaryKey: [String] = []
        var indexes: [SQLIndex] = []
        for (propertyName, parts) in view.properties {
            let property = SQLSchemaView(parts, references: references)
            let context = "property '\(propertyName)' of table \"\(name)\""
            let location = property.location
            for key in property.extensions.keys where key.hasPrefix("x-db-") && !Self.propertyKeys.contains(key) {
                warning("unknown extension \(key) on \(context) (ignored)", location)
            }
            for key in SQLSchemaView.tableKeys.sorted() where parts.contains(where: { $0.extensions[key] != nil }) {
                warning("\(key) belongs on a table schema, not on \(context) (ignored)", location)
            }
            if flag("x-db-ignore", property, context) == true { continue }
            if let problem = SQLIdentifier.problem(with: propertyName) {
                error("\(context) cannot name a column: \(problem)", location)
                continue
            }
            let isPrimaryKey = flag("x-db-primary-key", property, context) ?? false
            let type = columnType(property, context)
            var column = SQLColumn(
                name: propertyName, type: type,
                // PostgreSQL makes key columns NOT NULL whatever the spec says; saying so here
                // keeps the lock and later diffs in step with the database.
                isNotNull: isPrimaryKey || (view.required.contains(propertyName) && !property.isNullable),
                location: location)
            column.defaultExpression = defaultExpression(property, context)
            column.isUnique = flag("x-db-unique", property, context) ?? false
            if !type.hasSuffix("[]"), type != "jsonb" {
                column.check = SQLTypeMapping.check(column: propertyName, view: property, type: type)
            }
            column.reference = reference(property, context)
            column.renamedFrom = renamedFrom(property.extensions["x-db-renamed-from"], context, location)
            column.backfill = backfill(property, context)
            if isPrimaryKey { primaryKey.append(propertyName) }
            if flag("x-db-index", property, context) == true {
                let indexName = SQLNaming.index(table: name, columns: [propertyName])
                indexes.append(SQLIndex(name: indexName, columns: [propertyName]))
            }
            columns.append(column)
        }
        if let value = schema.extensions["x-db-indexes"] {
            indexes += tableIndexes(value, table: name, columns: columns, location: schema.location)
        }
        if primaryKey.isEmpty {
            error(
                "table \"\(name)\" (schema '\(schemaName)') has no primary key: every table needs one; mark its key "
                    + "property with x-db-primary-key: true",
                schema.location)
        }
        var table = SQLTable(
            name: name, columns: columns, primaryKey: primaryKey, indexes: indexes, schemaName: schemaName,
            location: schema.location)
        table.renamedFrom = renamedFrom(schema.extensions["x-db-renamed-from"], "table \"\(name)\"", schema.location)
        return table
    }

    /// `x-db-renamed-from: old_name` or a list of earlier names, newest first.
    private mutating func renamedFrom(_ value: JSONValue?, _ context: String, _ location: SourceLocation) -> [String] {
        guard let value else { return [] }
        let names: [JSONValue]
        if case .array(let list) = value { names = list } else { names = [value] }
        var result: [String] = []
        for name in names {
            guard let text = name.stringValue, SQLIdentifier.problem(with: text) == nil else {
                let problem = name.stringValue.flatMap(SQLIdentifier.problem(with:)) ?? "it is not a string"
                error("x-db-renamed-from \(name.jsonText) of \(context) cannot name an earlier name: \(problem)", location)
                continue
            }
            if !result.contains(text) { result.append(text) }
        }
        return result
    }

    private mutating func backfill(_ property: SQLSchemaView, _ context: String) -> String? {
        guard let value = property.extensions["x-db-backfill"] else { return nil }
        let text: String
        switch value {
        case .string(let expression): text = expression
        case .bool(let flag): text = flag ? "true" : "false"
        case .integer(let number): text = String(number)
        case .number(let number): text = JSONValue.format(number)
        case .null, .array, .object:
            error("x-db-backfill of \(context) must be an SQL expression (a string), not \(value.jsonText)", property.location)
            return nil
        }
        if let problem = SQLFragment.problem(with: text) {
            error("unsupported x-db-backfill \"\(text)\" on \(context): \(problem)", property.location)
            return nil
        }
        return SQLFragment.trimmed(text)
    }

    private mutating func columnType(_ property: SQLSchemaView, _ context: String) -> String {
        let mapped = SQLTypeMapping.columnType(property, references: references)
        guard let value = property.extensions["x-db-type"] else { return mapped }
        guard case .string(let text) = value else {
            error(
                "x-db-type of \(context) must be a PostgreSQL type (a string), not "
                    + "\(value.jsonText)", property.location)
            return mapped
        }
        if let problem = SQLFragment.problem(with: text) {
            error("unsupported x-db-type \"\(text)\" on \(context): \(problem)", property.location)
            return mapped
        }
        return SQLFragment.trimmed(text)
    }

    private mutating func defaultExpression(_ property: SQLSchemaView, _ context: String) -> String? {
        guard let value = property.extensions["x-db-default"] else { return nil }
        switch value {
        case .string(let text):
            if let problem = SQLFragment.problem(with: text) {
                error("unsupported x-db-default \"\(text)\" on \(context): \(problem)", property.location)
                return nil
            }
            return SQLFragment.trimmed(text)
        // YAML reads `x-db-default: true` or `0` as a boolean or a number; both are SQL as written.
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number): return JSONValue.format(number)
        case .null, .array, .object:
            error(
                "x-db-default of \(context) must be an SQL expression (a string), not "
                    + "\(value.jsonText)", property.location)
            return nil
        }
    }

    private mutating func reference(_ property: SQLSchemaView, _ context: String) -> SQLForeignKey? {
        let onDelete = property.extensions["x-db-on-delete"]
        guard let value = property.extensions["x-db-references"] else {
            if onDelete != nil {
                warning("x-db-on-delete on \(context) has no effect without x-db-references", property.location)
            }
            return nil
        }
        guard case .string(let text) = value else {
            error(
                "x-db-references of \(context) must be written table.column, not "
                    + "\(value.jsonText)", property.location)
            return nil
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            error("x-db-references \"\(text)\" of \(context) must be written table.column", property.location)
            return nil
        }
        var action = SQLForeignKey.Action.noAction
        if let onDelete {
            if let spelling = onDelete.stringValue, let known = SQLForeignKey.Action(spelling: spelling) {
                action = known
            } else {
                let expected = SQLForeignKey.Action.allCases.map(\.rawValue).joined(separator: ", ")
                error(
                    "unknown x-db-on-delete action \(onDelete.jsonText) on \(context): expected one of "
                        + "\(expected)", property.location)
            }
        }
        return SQLForeignKey(table: String(parts[0]), column: String(parts[1]), onDelete: action)
    }

    /// `x-db-indexes: [{columns: [a, b], unique: true, name: ix_custom}]`.
    private mutating func tableIndexes(
        _ value: JSONValue, table: String, columns: [SQLColumn], location: SourceLocation
    ) -> [SQLIndex] {
        let shape = "a list of {columns: [...], unique: true|false, name: ..., where: ...}"
        guard case .array(let entries) = value else {
            error("x-db-indexes of table \"\(table)\" must be \(shape), not \(value.jsonText)", location)
            return []
        }
        var indexes: [SQLIndex] = []
        for entry in entries {
            guard case .object(let fields) = entry else {
                error(
                    "an entry of x-db-indexes of table \"\(table)\" must be a mapping, not \(entry.jsonText); "
                        + "x-db-indexes is \(shape)", location)
                continue
            }
            for key in fields.keys where !Self.indexKeys.contains(key) {
                warning("unknown key '\(key)' in x-db-indexes of table \"\(table)\" (ignored)", location)
            }
            guard case .array(let listed)? = fields["columns"], !listed.isEmpty,
                case let parsed = listed.compactMap(Self.indexColumn), parsed.count == listed.count
            else {
                error(
                    "an entry of x-db-indexes of table \"\(table)\" needs 'columns', a non-empty list of column names "
                        + "or {column: name, order: asc|desc}", location)
                continue
            }
            let names = parsed.map(\.name)
            var isValid = true
            for name in names where !columns.contains(where: { $0.name == name }) {
                error(
                    "x-db-indexes of table \"\(table)\" names column \"\(name)\", which the table does not have",
                    location)
                isValid = false
            }
            var isUnique = false
            if let unique = fields["unique"] {
                if let flag = unique.boolValue {
                    isUnique = flag
                } else {
                    error(
                        "'unique' in x-db-indexes of table \"\(table)\" must be true or false, not "
                            + "\(unique.jsonText)", location)
                }
            }
            var indexName = SQLNaming.index(table: table, columns: names)
            if let given = fields["name"] {
                if let text = given.stringValue, SQLIdentifier.problem(with: text) == nil {
                    indexName = text
                } else {
                    let problem = given.stringValue.flatMap(SQLIdentifier.problem(with:)) ?? "it is not a string"
                    error(
                        "'name' \(given.jsonText) in x-db-indexes of table \"\(table)\" cannot name an index: "
                            + "\(problem)", location)
                    isValid = false
                }
            }
            var predicate: String?
            if let given = fields["where"] {
                if let text = given.stringValue, SQLFragment.problem(with: text) == nil {
                    predicate = SQLFragment.trimmed(text)
                } else {
                    let problem = given.stringValue.flatMap(SQLFragment.problem(with:)) ?? "it is not a string"
                    error(
                        "'where' \(given.jsonText) in x-db-indexes of table \"\(table)\" is not a usable predicate: "
                            + "\(problem)", location)
                    isValid = false
                }
            }
            let descending = parsed.filter(\.isDescending).map(\.name)
            if isValid {
                indexes.append(
                    SQLIndex(
                        name: indexName, columns: names, isUnique: isUnique, descending: descending, predicate: predicate))
            }
        }
        return indexes
    }

    /// One entry of an index's `columns`: `name`, or `{column: name, order: asc|desc}`; `nil`
    /// when it is neither.
    private static func indexColumn(_ value: JSONValue) -> (name: String, isDescending: Bool)? {
        if let name = value.stringValue { return (name, false) }
        guard case .object(let fields) = value, fields.keys.allSatisfy(indexColumnKeys.contains),
            let name = fields["column"]?.stringValue
        else { return nil }
        switch fields["order"]?.stringValue?.lowercased() {
        case nil where fields["order"] == nil, "asc"?: return (name, false)
        case "desc"?: return (name, true)
        default: return nil
        }
    }

    // MARK: - Across tables

    /// Every foreign key must name an existing, unique column of a compatible type, or
    /// PostgreSQL rejects the `CREATE TABLE`.
    private mutating func checkReferences(_ tables: [SQLTable]) {
        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for table in tables {
            for column in table.columns {
                guard let reference = column.reference else { continue }
                let location = column.location ?? table.location
                let written =
                    "x-db-references \(reference.table).\(reference.column) of column "
                    + "\"\(table.name)\".\"\(column.name)\""
                guard let target = byName[reference.table] else {
                    let known = tables.map { "\"\($0.name)\"" }.joined(separator: ", ")
                    error(
                        "\(written) names an unknown table \"\(reference.table)\" (tables: "
                            + "\(known.isEmpty ? "none" : known))", location)
                    continue
                }
                guard let targetColumn = target.column(named: reference.column) else {
                    error(
                        "\(written) names an unknown column: table \"\(target.name)\" has no column "
                            + "\"\(reference.column)\"", location)
                    continue
                }
                let isUnique =
                    target.primaryKey == [reference.column] || targetColumn.isUnique
                    || target.indexes.contains { $0.isUnique && $0.columns == [reference.column] }
                if !isUnique {
                    error(
                        "\(written): the referenced column must be the table's primary key or unique (x-db-unique: "
                            + "true) for PostgreSQL to accept the foreign key",
                        location)
                }
                if Self.typeFamily(column.type) != Self.typeFamily(targetColumn.type) {
                    error(
                        "\(written): the column is \(column.type) but \"\(target.name)\".\"\(targetColumn.name)\" is "
                            + "\(targetColumn.type); a foreign key needs the same type",
                        location)
                }
                if reference.onDelete == .setNull, column.isNotNull {
                    error(
                        "x-db-on-delete: set null on column \"\(table.name)\".\"\(column.name)\", which is NOT "
                            + "NULL: deleting a \"\(target.name)\" row would fail", location)
                }
            }
        }
    }

    /// Types PostgreSQL can compare in a foreign key without a cast that loses an index. An
    /// `x-db-type` may carry column clauses after the type (`bigint GENERATED ALWAYS AS
    /// IDENTITY`); only the type counts.
    static func typeFamily(_ type: String) -> String {
        let words = type.lowercased().split(separator: " ").prefix { $0 != "generated" && $0 != "collate" }
        let lowered = words.joined(separator: " ")
        if lowered == "text" || lowered.hasPrefix("varchar") || lowered.hasPrefix("character varying") { return "text" }
        let integers: Set<String> = [
            "smallint", "integer", "int", "int2", "int4", "int8", "bigint", "smallserial", "serial", "bigserial",
            "serial2", "serial4", "serial8",
        ]
        return integers.contains(lowered) ? "integer" : lowered
    }

    /// Tables, indexes and the indexes behind primary keys and unique constraints share one
    /// namespace in PostgreSQL; constraints of one table share another. A clash there fails
    /// the whole script, so it is reported here instead.
    private mutating func checkNames(_ tables: [SQLTable]) {
        var relations: [String: String] = [:]
        func claim(_ name: String, _ what: String, _ location: SourceLocation?) {
            if let other = relations[name] {
                error("the name \"\(name)\" is used twice: by \(other) and by \(what)", location)
            } else {
                relations[name] = what
            }
        }
        for table in tables { relations[table.name] = "table \"\(table.name)\"" }
        for table in tables {
            claim(SQLNaming.primaryKey(table: table.name), "the primary key of \"\(table.name)\"", table.location)
            for column in table.columns where column.isUnique {
                claim(
                    SQLNaming.unique(table: table.name, column: column.name),
                    "the unique constraint of "
                        + "\"\(table.name)\".\"\(column.name)\"", column.location)
            }
            for index in table.indexes {
                claim(
                    index.name,
                    "an index of \"\(table.name)\" on "
                        + "(\(index.columns.joined(separator: ", ")))", table.location)
            }
            var constraints: Set<String> = []
            for column in table.columns {
                for name in [
                    column.check.map { _ in SQLNaming.check(table: table.name, column: column.name) },
                    column.reference.map { _ in SQLNaming.foreignKey(table: table.name, column: column.name) },
                ].compactMap({ $0 }) where !constraints.insert(name).inserted {
                    error(
                        "the constraint name \"\(name)\" is used twice in table "
                            + "\"\(table.name)\"", column.location ?? table.location)
                }
            }
        }
    }

    // MARK: - Helpers

    /// A boolean extension; anything else is reported and read as absent.
    private mutating func flag(_ key: String, _ property: SQLSchemaView, _ context: String) -> Bool? {
        guard let value = property.extensions[key] else { return nil }
        if let flag = value.boolValue { return flag }
        error("\(key) of \(context) must be true or false, not \(value.jsonText)", property.location)
        return nil
    }

    private mutating func error(_ message: String, _ location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, message, at: location ?? SourceLocation(file: "", line: 1, column: 1)))
    }

    private mutating func warning(_ message: String, _ location: SourceLocation?) {
        diagnostics.append(Diagnostic(.warning, message, at: location ?? SourceLocation(file: "", line: 1, column: 1)))
    }
}
