/// The text of every statement the emitter writes, in one place so `schema.sql` and the
/// migrations spell the same thing the same way.
enum SQLStatements {
    private static func q(_ name: String) -> String { SQLIdentifier.quote(name) }
    private static func list(_ names: [String]) -> String { names.map(q).joined(separator: ", ") }

    /// `CREATE TABLE` with its columns and constraints. Foreign keys for which
    /// `inlineForeignKey` says no are left out, for the caller to add with `ALTER TABLE` once
    /// their targets exist.
    static func createTable(_ table: SQLTable, inlineForeignKey: (SQLForeignKey) -> Bool = { _ in true }) -> String {
        var lines = table.columns.map { "    " + columnDefinition($0) }
        lines.append("    CONSTRAINT \(q(SQLNaming.primaryKey(table: table.name))) PRIMARY KEY (\(list(table.primaryKey)))")
        for column in table.columns where column.isUnique {
            lines.append("    " + uniqueConstraint(table: table.name, column: column.name))
        }
        for column in table.columns {
            if let check = column.check { lines.append("    " + checkConstraint(table: table.name, column: column.name, check)) }
        }
        for column in table.columns {
            if let reference = column.reference, inlineForeignKey(reference) {
                lines.append("    " + foreignKeyConstraint(table: table.name, column: column.name, reference))
            }
        }
        return "CREATE TABLE \(q(table.name)) (\n" + lines.joined(separator: ",\n") + "\n);"
    }

    /// `"name" type NOT NULL DEFAULT expr`, as in `CREATE TABLE` and `ADD COLUMN`.
    static func columnDefinition(_ column: SQLColumn) -> String {
        var text = "\(q(column.name)) \(column.type)"
        if column.isNotNull { text += " NOT NULL" }
        if let expression = column.defaultExpression { text += " DEFAULT \(expression)" }
        return text
    }

    static func uniqueConstraint(table: String, column: String) -> String {
        "CONSTRAINT \(q(SQLNaming.unique(table: table, column: column))) UNIQUE (\(q(column)))"
    }

    static func checkConstraint(table: String, column: String, _ check: String) -> String {
        "CONSTRAINT \(q(SQLNaming.check(table: table, column: column))) CHECK (\(check))"
    }

    static func foreignKeyConstraint(table: String, column: String, _ reference: SQLForeignKey) -> String {
        "CONSTRAINT \(q(SQLNaming.foreignKey(table: table, column: column))) FOREIGN KEY (\(q(column))) "
            + "REFERENCES \(q(reference.table)) (\(q(reference.column)))\(reference.onDelete.clause)"
    }

    static func primaryKeyConstraint(table: String, columns: [String]) -> String {
        "CONSTRAINT \(q(SQLNaming.primaryKey(table: table))) PRIMARY KEY (\(list(columns)))"
    }

    static func createIndex(_ index: SQLIndex, on table: String) -> String {
        let predicate = index.predicate.map { " WHERE \($0)" } ?? ""
        return "CREATE \(index.isUnique ? "UNIQUE " : "")INDEX \(q(index.name)) ON \(q(table)) (\(index.columnList))\(predicate);"
    }

    static func renameTable(_ old: String, to new: String) -> String {
        "ALTER TABLE \(q(old)) RENAME TO \(q(new));"
    }

    static func renameColumn(table: String, _ old: String, to new: String) -> String {
        "ALTER TABLE \(q(table)) RENAME COLUMN \(q(old)) TO \(q(new));"
    }

    /// Also renames the index behind a primary key or unique constraint.
    static func renameConstraint(table: String, _ old: String, to new: String) -> String {
        "ALTER TABLE \(q(table)) RENAME CONSTRAINT \(q(old)) TO \(q(new));"
    }

    static func renameIndex(_ old: String, to new: String) -> String {
        "ALTER INDEX \(q(old)) RENAME TO \(q(new));"
    }

    /// Fills the rows a NOT NULL column would fail on.
    static func backfill(table: String, column: String, _ expression: String) -> String {
        "UPDATE \(q(table)) SET \(q(column)) = \(expression) WHERE \(q(column)) IS NULL;"
    }

    static func dropIndex(_ name: String) -> String { "DROP INDEX \(q(name));" }
    static func dropTable(_ name: String) -> String { "DROP TABLE \(q(name));" }

    static func addConstraint(table: String, _ constraint: String) -> String {
        "ALTER TABLE \(q(table)) ADD \(constraint);"
    }

    static func addUnique(table: String, column: String) -> String {
        addConstraint(table: table, uniqueConstraint(table: table, column: column))
    }

    static func addCheck(table: String, column: String, _ check: String) -> String {
        addConstraint(table: table, checkConstraint(table: table, column: column, check))
    }

    static func addForeignKey(table: String, column: String, _ reference: SQLForeignKey) -> String {
        addConstraint(table: table, foreignKeyConstraint(table: table, column: column, reference))
    }

    static func addPrimaryKey(table: String, columns: [String]) -> String {
        addConstraint(table: table, primaryKeyConstraint(table: table, columns: columns))
    }

    static func dropConstraint(table: String, _ name: String) -> String {
        "ALTER TABLE \(q(table)) DROP CONSTRAINT \(q(name));"
    }

    static func addColumn(table: String, _ column: SQLColumn) -> String {
        "ALTER TABLE \(q(table)) ADD COLUMN \(columnDefinition(column));"
    }

    static func dropColumn(table: String, _ column: String) -> String {
        "ALTER TABLE \(q(table)) DROP COLUMN \(q(column));"
    }

    /// A conversion PostgreSQL does implicitly needs no `USING`; any other is spelled out so
    /// the statement says what happens to existing values.
    static func alterType(table: String, column: String, to type: String, cast: Bool) -> String {
        let using = cast ? " USING \(q(column))::\(type)" : ""
        return "ALTER TABLE \(q(table)) ALTER COLUMN \(q(column)) TYPE \(type)\(using);"
    }

    static func setDefault(table: String, column: String, _ expression: String?) -> String {
        let action = expression.map { "SET DEFAULT \($0)" } ?? "DROP DEFAULT"
        return "ALTER TABLE \(q(table)) ALTER COLUMN \(q(column)) \(action);"
    }

    static func setNotNull(table: String, column: String, _ isNotNull: Bool) -> String {
        "ALTER TABLE \(q(table)) ALTER COLUMN \(q(column)) \(isNotNull ? "SET" : "DROP") NOT NULL;"
    }
}
