import OpenAPI

/// Reads `x-db-renamed-from` before the diff: a table or column the lock knows under an
/// earlier name is renamed in place (`RENAME TO`, `RENAME COLUMN`), keeping its rows, instead
/// of reading as a drop plus an empty add.
///
/// The lock's tables come back as if the renames had always been there, so the planner then
/// diffs like for like (a renamed column whose type also changed gets both changes). The
/// constraints and default-named indexes PostgreSQL keeps under the old name are renamed too:
/// their names are derived from table and column names, and later migrations compute them.
enum SQLRenamePlanner {
    typealias Statement = SQLChange.Statement

    struct Result {
        var tables: [SQLTable]
        var changes: [SQLChange]
        var diagnostics: [Diagnostic]
    }

    static func apply(old: [SQLTable], new: [SQLTable]) -> Result {
        var result = Result(tables: old, changes: [], diagnostics: [])
        renameTables(new, &result)
        renameColumns(new, &result)
        return result
    }

    // MARK: - Tables

    private static func renameTables(_ new: [SQLTable], _ result: inout Result) {
        let newNames = Set(new.map(\.name))
        var claimed: [String: String] = [:]
        for table in new where !table.renamedFrom.isEmpty {
            let oldNames = Set(result.tables.map(\.name))
            guard !oldNames.contains(table.name) else { continue }  // renamed already, or never was
            guard let source = table.renamedFrom.first(where: { oldNames.contains($0) && !newNames.contains($0) }) else {
                let names = table.renamedFrom.map { "\"\($0)\"" }.joined(separator: ", ")
                result.diagnostics.append(
                    Diagnostic(
                        .warning,
                        "x-db-renamed-from \(names) of table \"\(table.name)\" names no table the migrations built "
                            + "(or one the spec still has): \"\(table.name)\" is created as a new, empty table",
                        at: table.location ?? SourceLocation(file: "", line: 1, column: 1)))
                continue
            }
            if let other = claimed[source] {
                result.diagnostics.append(
                    Diagnostic(
                        .error, "tables \"\(other)\" and \"\(table.name)\" are both x-db-renamed-from \"\(source)\"",
                        at: table.location ?? SourceLocation(file: "", line: 1, column: 1)))
                continue
            }
            claimed[source] = table.name
            result.changes.append(renameTable(source, to: table.name, &result.tables, location: table.location))
        }
    }

    private static func renameTable(
        _ source: String, to target: String, _ tables: inout [SQLTable], location: SourceLocation?
    ) -> SQLChange {
        var statements = [step(SQLStatements.renameTable(source, to: target))]
        func constraint(_ old: String, _ new: String) {
            if old != new { statements.append(step(SQLStatements.renameConstraint(table: target, old, to: new))) }
        }
        guard let position = tables.firstIndex(where: { $0.name == source }) else { preconditionFailure("checked") }
        var table = tables[position]
        constraint(SQLNaming.primaryKey(table: source), SQLNaming.primaryKey(table: target))
        for column in table.columns {
            if column.isUnique {
                constraint(
                    SQLNaming.unique(table: source, column: column.name), SQLNaming.unique(table: target, column: column.name))
            }
            if column.check != nil {
                constraint(
                    SQLNaming.check(table: source, column: column.name), SQLNaming.check(table: target, column: column.name))
            }
            if column.reference != nil {
                constraint(
                    SQLNaming.foreignKey(table: source, column: column.name),
                    SQLNaming.foreignKey(table: target, column: column.name))
            }
        }
        for (offset, index) in table.indexes.enumerated()
        where index.name == SQLNaming.index(table: source, columns: index.columns) {
            let name = SQLNaming.index(table: target, columns: index.columns)
            statements.append(step(SQLStatements.renameIndex(index.name, to: name)))
            table.indexes[offset].name = name
        }
        table.name = target
        tables[position] = table
        // Foreign keys follow a renamed table in PostgreSQL; the lock's copies must too.
        for tableOffset in tables.indices {
            for columnOffset in tables[tableOffset].columns.indices
            where tables[tableOffset].columns[columnOffset].reference?.table == source {
                tables[tableOffset].columns[columnOffset].reference?.table = target
            }
        }
        var change = SQLChange(
            "rename table \(quoted(source)) to \(quoted(target))", slug: "rename_\(source)_to_\(target)",
            location: location, statements: statements)
        change.isStructural = true
        return change
    }

    // MARK: - Columns

    private static func renameColumns(_ new: [SQLTable], _ result: inout Result) {
        for table in new {
            guard let position = result.tables.firstIndex(where: { $0.name == table.name }) else { continue }
            // Planned against the lock's table as it is, before any rename of this table applies.
            let old = result.tables[position]
            var planned: [(source: String, target: String, location: SourceLocation?)] = []
            for column in table.columns where !column.renamedFrom.isEmpty && old.column(named: column.name) != nil {
                // Both names exist already: a swap, or a stale x-db-renamed-from beside a new column
                // of the old name. Nothing is renamed; saying so beats a silent no-op.
                for source in column.renamedFrom where old.column(named: source) != nil {
                    result.diagnostics.append(
                        Diagnostic(
                            .warning,
                            "x-db-renamed-from \"\(source)\" of column \"\(table.name)\".\"\(column.name)\" is ignored: the "
                                + "migrations built both columns (swapping names is not supported; drop the stale extension)",
                            at: column.location ?? table.location ?? SourceLocation(file: "", line: 1, column: 1)))
                }
            }
            for column in table.columns where !column.renamedFrom.isEmpty && old.column(named: column.name) == nil {
                let location = column.location ?? table.location ?? SourceLocation(file: "", line: 1, column: 1)
                guard
                    let source = column.renamedFrom.first(where: {
                        old.column(named: $0) != nil && table.column(named: $0) == nil
                    })
                else {
                    let names = column.renamedFrom.map { "\"\($0)\"" }.joined(separator: ", ")
                    result.diagnostics.append(
                        Diagnostic(
                            .warning,
                            "x-db-renamed-from \(names) of column \"\(table.name)\".\"\(column.name)\" names no column "
                                + "the migrations built (or one the spec still has): the column is added, empty",
                            at: location))
                    continue
                }
                if let other = planned.first(where: { $0.source == source }) {
                    result.diagnostics.append(
                        Diagnostic(
                            .error,
                            "columns \"\(other.target)\" and \"\(column.name)\" of table \"\(table.name)\" are both "
                                + "x-db-renamed-from \"\(source)\"", at: location))
                    continue
                }
                planned.append((source, column.name, column.location))
            }
            for rename in planned {
                result.changes.append(
                    renameColumn(rename.source, to: rename.target, table: position, &result.tables, location: rename.location))
            }
        }
    }

    private static func renameColumn(
        _ source: String, to target: String, table position: Int, _ tables: inout [SQLTable], location: SourceLocation?
    ) -> SQLChange {
        var table = tables[position]
        let name = table.name
        var statements = [step(SQLStatements.renameColumn(table: name, source, to: target))]
        func constraint(_ old: String, _ new: String) {
            if old != new { statements.append(step(SQLStatements.renameConstraint(table: name, old, to: new))) }
        }
        guard let offset = table.columns.firstIndex(where: { $0.name == source }) else { preconditionFailure("checked") }
        var column = table.columns[offset]
        if column.isUnique {
            constraint(SQLNaming.unique(table: name, column: source), SQLNaming.unique(table: name, column: target))
        }
        if let check = column.check {
            constraint(SQLNaming.check(table: name, column: source), SQLNaming.check(table: name, column: target))
            // PostgreSQL rewrites the expression; the checks this emitter writes name the
            // column only as a quoted identifier, so the lock's copy is rewritten the same way.
            column.check = check.replacingOccurrences(of: SQLIdentifier.quote(source), with: SQLIdentifier.quote(target))
        }
        if column.reference != nil {
            constraint(SQLNaming.foreignKey(table: name, column: source), SQLNaming.foreignKey(table: name, column: target))
        }
        column.name = target
        table.columns[offset] = column
        table.primaryKey = table.primaryKey.map { $0 == source ? target : $0 }
        for (indexOffset, index) in table.indexes.enumerated() where index.columns.contains(source) {
            var renamed = index
            renamed.columns = index.columns.map { $0 == source ? target : $0 }
            renamed.descending = index.descending.map { $0 == source ? target : $0 }
            if index.name == SQLNaming.index(table: name, columns: index.columns) {
                renamed.name = SQLNaming.index(table: name, columns: renamed.columns)
                statements.append(step(SQLStatements.renameIndex(index.name, to: renamed.name)))
            }
            table.indexes[indexOffset] = renamed
        }
        tables[position] = table
        for tableOffset in tables.indices {
            for columnOffset in tables[tableOffset].columns.indices {
                guard let reference = tables[tableOffset].columns[columnOffset].reference,
                    reference.table == name, reference.column == source
                else { continue }
                tables[tableOffset].columns[columnOffset].reference?.column = target
            }
        }
        var change = SQLChange(
            "rename column \(quoted(name)).\(quoted(source)) to \(quoted(target))",
            slug: "rename_\(name)_\(source)_to_\(target)", location: location, statements: statements)
        change.isStructural = true
        return change
    }

    private static func step(_ sql: String) -> Statement { Statement(phase: .renames, sql: sql) }
    private static func quoted(_ name: String) -> String { SQLIdentifier.quote(name) }
}
