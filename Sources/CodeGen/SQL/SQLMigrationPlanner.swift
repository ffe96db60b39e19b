import OpenAPI

/// Diffs the tables of the lock against the tables of the spec and says, change by change,
/// what a migration must run to turn the one into the other.
///
/// It never looks at the migrations themselves: the lock is the record of what they built.
/// Renames (`x-db-renamed-from`) are applied to the lock's tables before this diff, by
/// `SQLRenamePlanner`; an undeclared rename reads as a drop and an add, which is destructive
/// and so never happens by accident.
enum SQLMigrationPlanner {
    typealias Phase = SQLChange.Phase
    typealias Statement = SQLChange.Statement

    /// `new` must be in dependency order (as the table builder returns it).
    static func changes(from old: [SQLTable], to new: [SQLTable]) -> [SQLChange] {
        let oldByName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(\.name))
        let created = Set(new.map(\.name).filter { oldByName[$0] == nil })
        var changes: [SQLChange] = []

        // Referencing tables go first, so no dropped table is still pointed at when it goes.
        for table in SQLTableOrder.sort(old.filter { !newNames.contains($0.name) }).tables.reversed() {
            var change = SQLChange(
                "drop table \(quoted(table.name))", slug: "drop_\(table.name)", isDestructive: true,
                location: table.location, statements: [step(.dropTables, SQLStatements.dropTable(table.name))])
            change.isStructural = true
            changes.append(change)
        }
        for table in new where created.contains(table.name) {
            changes.append(creation(of: table, created: created))
        }
        for table in new {
            guard let previous = oldByName[table.name] else { continue }
            changes += differences(previous, table, tables: new, oldByName: oldByName)
        }
        return changes
    }

    private static func creation(of table: SQLTable, created: Set<String>) -> SQLChange {
        // A foreign key to a table created in the same migration can sit in CREATE TABLE (the
        // target comes first); one to an existing table waits for that table's new columns
        // and constraints, which later phases add.
        let isInline: (SQLForeignKey) -> Bool = { created.contains($0.table) }
        var statements = [step(.createTables, SQLStatements.createTable(table, inlineForeignKey: isInline))]
        for index in table.indexes {
            statements.append(step(.createTables, SQLStatements.createIndex(index, on: table.name)))
        }
        for column in table.columns {
            if let reference = column.reference, !isInline(reference) {
                statements.append(
                    step(.addForeignKeys, SQLStatements.addForeignKey(table: table.name, column: column.name, reference)))
            }
        }
        var change = SQLChange(
            "create table \(quoted(table.name))", slug: "create_\(table.name)", location: table.location,
            statements: statements)
        change.isStructural = true
        return change
    }

    // MARK: - A table in both

    private static func differences(
        _ old: SQLTable, _ new: SQLTable, tables: [SQLTable], oldByName: [String: SQLTable]
    ) -> [SQLChange] {
        let name = new.name
        var changes: [SQLChange] = []

        if old.primaryKey != new.primaryKey {
            changes.append(primaryKeyChange(old, new, tables: tables, oldByName: oldByName))
        }

        // Dropping a column drops its constraints and indexes with it.
        for column in old.columns where new.column(named: column.name) == nil {
            var change = SQLChange(
                "drop column \(quoted(name, column.name))", slug: "drop_\(name)_\(column.name)",
                isDestructive: true, location: new.location,
                statements: [step(.alterColumns, SQLStatements.dropColumn(table: name, column.name))])
            change.isStructural = true
            changes.append(change)
        }

        for column in new.columns {
            if let previous = old.column(named: column.name) {
                changes += differences(previous, column, table: name)
            } else {
                changes.append(addition(of: column, table: new))
            }
        }

        let oldIndexes = Dictionary(old.indexes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newIndexes = Set(new.indexes.map(\.name))
        for index in old.indexes where !newIndexes.contains(index.name) {
            changes.append(
                SQLChange(
                    "drop index \(quoted(index.name))", slug: "drop_\(index.name)", location: new.location,
                    statements: [step(.dropIndexes, SQLStatements.dropIndex(index.name))]))
        }
        for index in new.indexes {
            let create = step(.createIndexes, SQLStatements.createIndex(index, on: name))
            let columns =
                "(" + index.columns.map { index.descending.contains($0) ? $0 + " DESC" : $0 }.joined(separator: ", ") + ")"
            if let previous = oldIndexes[index.name] {
                guard previous != index else { continue }
                changes.append(
                    SQLChange(
                        "rebuild index \(quoted(index.name)) on \(columns)", slug: "alter_\(index.name)",
                        location: new.location,
                        statements: [step(.dropIndexes, SQLStatements.dropIndex(index.name)), create]))
            } else {
                changes.append(
                    SQLChange(
                        "create index \(quoted(index.name)) on \(quoted(name)) \(columns)", slug: "add_\(index.name)",
                        location: new.location, statements: [create]))
            }
        }
        return changes
    }

    /// Rebuilding a primary key means dropping the foreign keys that lean on it first, and
    /// adding them back once the new key exists.
    private static func primaryKeyChange(
        _ old: SQLTable, _ new: SQLTable, tables: [SQLTable], oldByName: [String: SQLTable]
    ) -> SQLChange {
        let name = new.name
        var statements: [Statement] = []
        if !old.primaryKey.isEmpty {
            let constraint = SQLNaming.primaryKey(table: name)
            statements.append(step(.dropConstraints, SQLStatements.dropConstraint(table: name, constraint)))
        }
        statements.append(step(.addConstraints, SQLStatements.addPrimaryKey(table: name, columns: new.primaryKey)))
        for table in tables {
            for column in table.columns {
                // Foreign keys that change anyway are dropped and added by their own change.
                guard let reference = column.reference, reference.table == name,
                    oldByName[table.name]?.column(named: column.name)?.reference == reference
                else { continue }
                let constraint = SQLNaming.foreignKey(table: table.name, column: column.name)
                statements.append(step(.dropForeignKeys, SQLStatements.dropConstraint(table: table.name, constraint)))
                statements.append(
                    step(.addForeignKeys, SQLStatements.addForeignKey(table: table.name, column: column.name, reference)))
            }
        }
        let columns = { (key: [String]) in "(" + key.joined(separator: ", ") + ")" }
        return SQLChange(
            "change primary key of \(quoted(name)) from \(columns(old.primaryKey)) to \(columns(new.primaryKey))",
            slug: "alter_\(name)_pkey", isDestructive: true, location: new.location, statements: statements)
    }

    private static func addition(of column: SQLColumn, table: SQLTable) -> SQLChange {
        let name = table.name
        // Existing rows have no value for it, so the statement fails on any table with rows
        // unless a backfill fills them first: add it nullable, fill, then SET NOT NULL.
        let lacksValue = column.isNotNull && column.defaultExpression == nil
        var statements: [Statement]
        if lacksValue, let backfill = column.backfill {
            var nullable = column
            nullable.isNotNull = false
            statements = [
                step(.alterColumns, SQLStatements.addColumn(table: name, nullable)),
                step(.alterColumns, SQLStatements.backfill(table: name, column: column.name, backfill)),
                step(.alterColumns, SQLStatements.setNotNull(table: name, column: column.name, true)),
            ]
        } else {
            statements = [step(.alterColumns, SQLStatements.addColumn(table: name, column))]
        }
        if column.isUnique {
            statements.append(step(.addConstraints, SQLStatements.addUnique(table: name, column: column.name)))
        }
        if let check = column.check {
            statements.append(step(.addConstraints, SQLStatements.addCheck(table: name, column: column.name, check)))
        }
        if let reference = column.reference {
            statements.append(step(.addForeignKeys, SQLStatements.addForeignKey(table: name, column: column.name, reference)))
        }
        let target = quoted(name, column.name)
        let summary: String
        if !lacksValue {
            summary = "add column \(target)"
        } else if let backfill = column.backfill {
            summary = "add NOT NULL column \(target), existing rows backfilled with \(backfill)"
        } else {
            summary =
                "add NOT NULL column \(target) without a default: it fails on a table holding rows (add an "
                + "x-db-default, an x-db-backfill expression for existing rows, or make it nullable)"
        }
        var change = SQLChange(
            summary, slug: "add_\(name)_\(column.name)", isDestructive: lacksValue && column.backfill == nil,
            location: column.location ?? table.location, statements: statements)
        change.isStructural = true
        return change
    }

    // MARK: - A column in both

    private static func differences(_ old: SQLColumn, _ new: SQLColumn, table: String) -> [SQLChange] {
        let column = new.name
        let target = quoted(table, column)
        let prefix = "\(table)_\(column)"
        var changes: [SQLChange] = []
        func change(_ summary: String, _ slug: String, destructive: Bool = false, _ statements: [Statement]) {
            changes.append(
                SQLChange(summary, slug: slug, isDestructive: destructive, location: new.location, statements: statements))
        }

        if old.type != new.type {
            let verdict = SQLTypeWidening.verdict(from: old.type, to: new.type)
            let sql = SQLStatements.alterType(table: table, column: column, to: new.type, cast: verdict != .widening)
            let types = "from \(old.type) to \(new.type)"
            let statements = [step(.alterColumns, sql)]
            switch verdict {
            case .widening: change("widen \(target) \(types)", "widen_\(prefix)", statements)
            case .narrowing: change("narrow \(target) \(types)", "alter_\(prefix)_type", destructive: true, statements)
            case .conversion:
                change("change the type of \(target) \(types)", "alter_\(prefix)_type", destructive: true, statements)
            }
        }

        if old.defaultExpression != new.defaultExpression {
            let sql = SQLStatements.setDefault(table: table, column: column, new.defaultExpression)
            let summary =
                new.defaultExpression.map { "set the default of \(target) to \($0)" } ?? "drop the default of \(target)"
            change(summary, "alter_\(prefix)_default", [step(.alterColumns, sql)])
        }

        if old.isNotNull != new.isNotNull {
            // SET NOT NULL fails on a table holding a NULL there; DROP NOT NULL always works.
            let sql = SQLStatements.setNotNull(table: table, column: column, new.isNotNull)
            if new.isNotNull, let backfill = new.backfill {
                change(
                    "set NOT NULL on \(target), NULLs backfilled with \(backfill)", "alter_\(prefix)_not_null",
                    [
                        step(.alterColumns, SQLStatements.backfill(table: table, column: column, backfill)),
                        step(.alterColumns, sql),
                    ])
            } else if new.isNotNull {
                change(
                    "set NOT NULL on \(target): it fails on a NULL there (add an x-db-backfill expression for them)",
                    "alter_\(prefix)_not_null", destructive: true, [step(.alterColumns, sql)])
            } else {
                change("drop NOT NULL on \(target)", "alter_\(prefix)_null", [step(.alterColumns, sql)])
            }
        }

        if old.isUnique != new.isUnique {
            let name = SQLNaming.unique(table: table, column: column)
            if new.isUnique {
                change(
                    "add unique constraint \(quoted(name))", "add_\(name)",
                    [step(.addConstraints, SQLStatements.addUnique(table: table, column: column))])
            } else {
                change(
                    "drop unique constraint \(quoted(name))", "drop_\(name)",
                    [step(.dropConstraints, SQLStatements.dropConstraint(table: table, name))])
            }
        }

        if old.check != new.check {
            let name = SQLNaming.check(table: table, column: column)
            var statements: [Statement] = []
            if old.check != nil { statements.append(step(.dropConstraints, SQLStatements.dropConstraint(table: table, name))) }
            if let check = new.check {
                statements.append(step(.addConstraints, SQLStatements.addCheck(table: table, column: column, check)))
            }
            let verb = old.check == nil ? "add" : new.check == nil ? "drop" : "alter"
            change("\(verb) CHECK constraint \(quoted(name))", "\(verb)_\(name)", statements)
        }

        // An unchanged foreign key whose target's primary key is rebuilt is handled there.
        if old.reference != new.reference {
            let name = SQLNaming.foreignKey(table: table, column: column)
            var statements: [Statement] = []
            if old.reference != nil {
                statements.append(step(.dropForeignKeys, SQLStatements.dropConstraint(table: table, name)))
            }
            if let reference = new.reference {
                statements.append(step(.addForeignKeys, SQLStatements.addForeignKey(table: table, column: column, reference)))
            }
            let verb = old.reference == nil ? "add" : new.reference == nil ? "drop" : "alter"
            change("\(verb) foreign key \(quoted(name))", "\(verb)_\(name)", statements)
        }
        return changes
    }

    private static func step(_ phase: Phase, _ sql: String) -> Statement { Statement(phase: phase, sql: sql) }
    private static func quoted(_ name: String) -> String { SQLIdentifier.quote(name) }
    private static func quoted(_ table: String, _ column: String) -> String {
        SQLIdentifier.quote(table) + "." + SQLIdentifier.quote(column)
    }
}
