/// Writes one table's repository: its new-row and changes types, the constraint violations a
/// write can meet, and the statements (insert, find, list, count, update, delete). Every
/// statement is static SQL with `$n` parameters, so a connection can prepare it once; only
/// the foreign-key filters of `list` and `count` add a `WHERE` per filter that is set.
struct RepositoryEmitter {
    let table: RepositoryTable

    private var rowType: String { table.rowType }
    private var tableName: String { table.quotedName }

    func emit(into writer: inout CodeWriter) {
        writer.docComment(
            "The `\(table.table.name)` table, read and written as `\(rowType)`. Works on a pool or on one "
                + "connection (inside a transaction).")
        writer.block("public struct \(table.repositoryName): Sendable {") { writer in
            writer.line("public let database: any PostgresQueryable")
            writer.line()
            writer.block("public init(_ database: any PostgresQueryable) {") { writer in
                writer.line("self.database = database")
            }
            writer.line()
            emitNewRow(into: &writer)
            writer.line()
            emitChanges(into: &writer)
            writer.line()
            emitViolation(into: &writer)
            if let cursorColumns {
                writer.line()
                emitCursor(cursorColumns, into: &writer)
            }
            writer.line()
            writer.line("static let columns = \(SwiftNames.rawLiteral(table.selectList))")
            writer.line()
            emitInsert(into: &writer)
            writer.line()
            emitFind(table.primaryKey, filtered: true, into: &writer, comment: "The row with this primary key.")
            for key in table.uniqueKeys {
                writer.line()
                emitFind(key.columns, filtered: false, into: &writer, comment: "The row with this \(names(key.columns)) (unique).")
            }
            for column in table.indexedColumns {
                writer.line()
                emitFindAll(column, into: &writer)
            }
            writer.line()
            emitList(into: &writer)
            writer.line()
            emitCount(into: &writer)
            writer.line()
            emitPage(into: &writer)
            if let cursorColumns {
                writer.line()
                emitListAfter(cursorColumns, into: &writer)
            }
            writer.line()
            emitUpdate(into: &writer)
            writer.line()
            emitDelete(into: &writer)
            writer.line()
            emitHelpers(into: &writer)
        }
    }

    // MARK: - Types

    /// Columns an insert gives: all but those the database always writes.
    private var insertedColumns: [RepositoryTable.Column] { table.columns.filter { !$0.isGenerated } }

    private func newRowField(_ column: RepositoryTable.Column) -> (type: String, optional: Bool) {
        let optional = column.isNullable || column.defaultExpression != nil
        return (column.swiftType + (optional ? "?" : ""), optional)
    }

    private func emitNewRow(into writer: inout CodeWriter) {
        writer.docComment(
            "The columns of a new row. A nil column with a database default (`x-db-default`) gets the default; "
                + "another nil column is NULL.")
        writer.block("public struct NewRow: Sendable {") { writer in
            for column in insertedColumns {
                if let expression = column.defaultExpression { writer.line("/// Default: `\(expression)`.") }
                writer.line("public var \(SwiftNames.identifier(column.property)): \(newRowField(column).type)")
            }
            writer.line()
            let parameters = insertedColumns.map { column in
                let field = newRowField(column)
                return "\(SwiftNames.label(column.property)): \(field.type)\(field.optional ? " = nil" : "")"
            }
            writer.block("public init(\(parameters.joined(separator: ", "))) {") { writer in
                for column in insertedColumns {
                    writer.line("self.\(column.property) = \(SwiftNames.identifier(column.property))")
                }
            }
        }
    }

    private func changesField(_ column: RepositoryTable.Column) -> (type: String, empty: String) {
        column.isNullable ? ("Patch<\(column.swiftType)>", ".absent") : (column.swiftType + "?", "nil")
    }

    /// Columns an update may change: all but the primary key and generated ones.
    private var changeableColumns: [RepositoryTable.Column] {
        table.columns.filter { column in !column.isGenerated && !table.primaryKey.contains { $0.name == column.name } }
    }

    private func emitChanges(into writer: inout CodeWriter) {
        writer.docComment(
            "A partial update: nil (`.absent` for a nullable column) leaves a column as it is, `.null` clears "
                + "a nullable one.")
        writer.block("public struct Changes: Sendable {") { writer in
            for column in changeableColumns {
                writer.line("public var \(SwiftNames.identifier(column.property)): \(changesField(column).type)")
            }
            writer.line()
            let parameters = changeableColumns.map { column in
                let field = changesField(column)
                return "\(SwiftNames.label(column.property)): \(field.type) = \(field.empty)"
            }
            writer.block("public init(\(parameters.joined(separator: ", "))) {") { writer in
                for column in changeableColumns {
                    writer.line("self.\(column.property) = \(SwiftNames.identifier(column.property))")
                }
            }
        }
    }

    /// The constraints of this table a write can break, with their case names.
    private var violations: [(name: String, constraint: String, comment: String, isUnique: Bool)] {
        var result: [(String, String, String, Bool)] = []
        let keyNames = table.primaryKey.map(\.name)
        result.append(
            (
                "duplicate" + caseSuffix(table.primaryKey), SQLNaming.primaryKey(table: table.table.name),
                "Another row has this primary key (\(keyNames.joined(separator: ", "))).", true
            ))
        for key in table.uniqueKeys {
            result.append(
                ("duplicate" + caseSuffix(key.columns), key.constraint, "Another row has this \(names(key.columns)).", true))
        }
        for column in table.columns {
            guard let reference = column.reference else { continue }
            result.append(
                (
                    "missing" + caseSuffix([column]), SQLNaming.foreignKey(table: table.table.name, column: column.name),
                    "`\(column.name)` names no row of `\(reference.table)`.", false
                ))
        }
        return result
    }

    private func emitViolation(into writer: inout CodeWriter) {
        writer.docComment("A constraint of `\(table.table.name)` that a write broke, named as the database names it.")
        writer.block("public enum Violation: Error, Hashable, Sendable {") { writer in
            for violation in violations {
                writer.line("/// \(violation.comment)")
                writer.line("case \(violation.name)")
            }
            writer.line()
            writer.line("/// The constraint's name in the database.")
            writer.block("public var constraint: String {") { writer in
                writer.line("switch self {")
                for violation in violations {
                    writer.line("case .\(violation.name): \(SwiftNames.literal(violation.constraint))")
                }
                writer.line("}")
            }
            writer.line()
            writer.line("/// The violation `error` reports, when it is one of this table's constraints.")
            writer.block("init?(_ error: PostgresError) {") { writer in
                writer.line("switch error {")
                for kind in [true, false] {
                    let matching = violations.filter { $0.isUnique == kind }
                    guard !matching.isEmpty else { continue }
                    writer.line("case .\(kind ? "uniqueViolation" : "foreignKeyViolation")(let constraint):")
                    writer.indented { writer in
                        writer.line("switch constraint {")
                        for violation in matching {
                            writer.line("case \(SwiftNames.literal(violation.constraint)): self = .\(violation.name)")
                        }
                        writer.line("default: return nil")
                        writer.line("}")
                    }
                }
                writer.line("default: return nil")
                writer.line("}")
            }
        }
    }

    /// The order columns, when keyset pagination can use them: all must be NOT NULL, or rows
    /// with NULL would be skipped or repeated between pages.
    private var cursorColumns: [RepositoryTable.OrderColumn]? {
        table.order.allSatisfy { !$0.column.isNullable && !$0.column.isOptionalInRow } ? table.order : nil
    }

    private func emitCursor(_ columns: [RepositoryTable.OrderColumn], into writer: inout CodeWriter) {
        writer.docComment("Where a page of `list(after:)` ended: the sort columns of its last row.")
        writer.block("public struct Cursor: Hashable, Sendable {") { writer in
            for order in columns {
                writer.line("public var \(SwiftNames.identifier(order.column.property)): \(order.column.swiftType)")
            }
            writer.line()
            writer.line("/// The cursor after `row`.")
            writer.block("public init(after row: \(rowType)) {") { writer in
                for order in columns {
                    writer.line("self.\(order.column.property) = row.\(order.column.property)")
                }
            }
        }
    }

    // MARK: - Statements

    private func emitInsert(into writer: inout CodeWriter) {
        let columns = insertedColumns
        let values = columns.enumerated().map { offset, column in
            column.defaultExpression.map { "COALESCE($\(offset + 1), \($0))" } ?? "$\(offset + 1)"
        }
        let sql =
            columns.isEmpty
            ? "INSERT INTO \(tableName) DEFAULT VALUES RETURNING \(table.selectList)"
            : "INSERT INTO \(tableName) (\(columns.map { SQLIdentifier.quote($0.name) }.joined(separator: ", "))) "
                + "VALUES (\(values.joined(separator: ", "))) RETURNING \(table.selectList)"
        writer.line("static let insertSQL = \(SwiftNames.rawLiteral(sql))")
        writer.line()
        writer.docComment("Inserts `row` and returns it as stored, defaults filled; a broken constraint throws `Violation`.")
        writer.block("public func insert(_ row: NewRow) async throws -> \(rowType) {") { writer in
            let binds = columns.map { column in
                column.binding.bind("row.\(column.property)", optional: newRowField(column).optional)
            }
            writer.line("let rows = try await run(PostgresQuery(unsafeSQL: Self.insertSQL, binds: [\(binds.joined(separator: ", "))]))")
            writer.line(
                "guard let stored = try rows.first.map(Self.row) else { throw PostgresError.columnNotFound(\"RETURNING\") }")
            writer.line("return stored")
        }
        guard !columns.isEmpty else { return }
        // The same row through a derived table, so that a caller's condition can name it. Each
        // value is cast to its column's type without the length (`varchar(255)` as `varchar`): a
        // parameter there has no column to take its type from, and an explicit cast to a length
        // would truncate where the insert itself refuses a value too long.
        let names = columns.map { SQLIdentifier.quote($0.name) }
        let types = Dictionary(table.table.columns.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let derived = zip(columns, zip(values, names)).map { column, pair in
            let type = types[column.name].flatMap(Self.castType) ?? ""
            return (type.isEmpty ? pair.0 : "CAST(\(pair.0) AS \(type))") + " AS \(pair.1)"
        }.joined(separator: ", ")
        let prefix =
            "INSERT INTO \(tableName) (\(names.joined(separator: ", "))) "
            + "SELECT \(names.map { "\"new\".\($0)" }.joined(separator: ", ")) FROM (SELECT \(derived)) AS \"new\" WHERE "
        writer.line()
        writer.line(
            "static let guardedInsertSQL = (\(SwiftNames.rawLiteral(prefix)), \(SwiftNames.rawLiteral(" RETURNING \(table.selectList)")))")
        writer.line()
        writer.docComment(
            "`insert(_:)` as a statement that writes only when `condition` holds, checked in the same statement: "
                + "`condition` is SQL in which `\"new\"` is the row about to be inserted (`EXISTS (SELECT 1 FROM \"user\" "
                + "WHERE \"id\" = \"new\".\"owner_id\")`, say), so a guard needs no round trip of its own and the statement "
                + "can share one with another (`fetch(_:_:)`). Its value is the row as stored, or nil when the condition "
                + "did not hold and nothing was written. The condition is SQL text, never a value from a request.")
        let signature = "public static func insertStatement(_ row: NewRow, onlyIf condition: String) -> PostgresStatement<\(rowType)?>"
        writer.block("\(signature) {") { writer in
            let binds = columns.map { column in
                column.binding.bind("row.\(column.property)", optional: newRowField(column).optional)
            }
            writer.line("let sql = Self.guardedInsertSQL.0 + condition + Self.guardedInsertSQL.1")
            writer.line(
                "return PostgresStatement(PostgresQuery(unsafeSQL: sql, binds: [\(binds.joined(separator: ", "))])) { try $0.first.map(Self.row) }"
            )
        }
    }

    /// The type a derived-table value is cast to: the column's without its length or precision,
    /// or nil (no cast; the value goes in as text and the insert's own assignment checks it) for
    /// the types whose bare name means a length of one (`char`, `bit`), where a cast would cut.
    static func castType(_ type: String) -> String? {
        let bare = unsized(type)
        let base = bare.lowercased().replacingOccurrences(of: "[]", with: "").trimmingCharacters(in: .whitespaces)
        return ["char", "character", "bpchar", "bit", "\"char\""].contains(base) ? nil : bare
    }

    /// `type` without its length or precision: `varchar(255)` is `varchar`, `numeric(10, 2)[]`
    /// is `numeric[]`.
    static func unsized(_ type: String) -> String {
        guard let open = type.firstIndex(of: "("), let close = type[open...].firstIndex(of: ")") else { return type }
        return String(type[..<open]).trimmingCharacters(in: .whitespaces) + type[type.index(after: close)...]
    }

    private func parameters(_ columns: [RepositoryTable.Column]) -> String {
        columns.map { "\(SwiftNames.label($0.property)): \($0.swiftType)" }.joined(separator: ", ")
    }

    private func conditions(_ columns: [RepositoryTable.Column], from first: Int = 1) -> String {
        columns.enumerated().map { "\(SQLIdentifier.quote($1.name)) = $\($0 + first)" }.joined(separator: " AND ")
    }

    private func binds(_ columns: [RepositoryTable.Column]) -> String {
        columns.map { $0.binding.bind(SwiftNames.identifier($0.property), optional: false) }.joined(separator: ", ")
    }

    /// A lookup by text no row can hold (a NUL, which PostgreSQL text cannot store) finds nothing
    /// instead of failing the statement.
    private func emitUnstorableGuard(_ columns: [RepositoryTable.Column], empty: String, into writer: inout CodeWriter) {
        let texts = columns.filter { $0.isText && $0.swiftType == "String" }
        guard !texts.isEmpty else { return }
        let checks = texts.map { "\(SwiftNames.identifier($0.property)).utf8.contains(0)" }.joined(separator: " || ")
        writer.line("if \(checks) { return \(empty) }")
    }

    private func emitFind(
        _ columns: [RepositoryTable.Column], filtered: Bool, into writer: inout CodeWriter, comment: String
    ) {
        let sql = "SELECT \(table.selectList) FROM \(tableName) WHERE \(conditions(columns))"
        let restricts = filtered && !rowFilters.isEmpty
        writer.docComment(comment + (restricts ? rowFilterDescription : ""))
        let parameters = [parameters(columns)] + (restricts ? rowFilterParameters : [])
        let arguments =
            columns.map { "\(SwiftNames.label($0.property)): \(SwiftNames.identifier($0.property))" }
            + (restricts ? [rowFilterArguments] : [])
        let signature = parameters.joined(separator: ", ")
        writer.block("public func find(\(signature)) async throws -> \(rowType)? {") { writer in
            writer.line("try await database.fetch(Self.findStatement(\(arguments.joined(separator: ", "))))")
        }
        writer.line()
        // A statement value lets a caller send this lookup together with another one.
        let labels =
            columns.map { SwiftNames.label($0.property) + ":" } + (restricts ? rowFilters.map { SwiftNames.label($0.property) + ":" } : [])
        writer.docComment("`find(\(labels.joined()))` as a statement, to share one round trip with another lookup (`fetch(_:_:)`).")
        writer.block("public static func findStatement(\(signature)) -> PostgresStatement<\(rowType)?> {") { writer in
            emitUnstorableGuard(columns, empty: ".known(nil)", into: &writer)
            let query = "PostgresQuery(unsafeSQL: \(SwiftNames.rawLiteral(sql)), binds: [\(binds(columns))])"
            if restricts {
                writer.line("var query = \(query)")
                writer.line("Self.restrict(&query, \(rowFilterArguments))")
                writer.line("return PostgresStatement(query) { try $0.first.map(Self.row) }")
            } else {
                writer.line("return PostgresStatement(\(query)) { try $0.first.map(Self.row) }")
            }
        }
    }

    private var orderBy: String {
        table.order.map { SQLIdentifier.quote($0.column.name) + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
    }

    private var orderDescription: String {
        table.order.map { "`\($0.column.name)`" + ($0.descending ? " descending" : "") }.joined(separator: ", then ")
    }

    private func emitFindAll(_ column: RepositoryTable.Column, into writer: inout CodeWriter) {
        let sql = "SELECT \(table.selectList) FROM \(tableName) WHERE \(conditions([column])) ORDER BY \(orderBy)"
        writer.docComment("Every row whose `\(column.name)` is this value (indexed), sorted by \(orderDescription).")
        writer.block("public func findAll(\(parameters([column]))) async throws -> [\(rowType)] {") { writer in
            emitUnstorableGuard([column], empty: "[]", into: &writer)
            writer.line("let sql = \(SwiftNames.rawLiteral(sql))")
            writer.line(
                "return try await database.query(PostgresQuery(unsafeSQL: sql, binds: [\(binds([column]))])).map(Self.row)")
        }
    }

    /// The filters of statements on one row: the foreign keys that are not part of the primary
    /// key (a key column that is also a foreign key is already given).
    private var rowFilters: [RepositoryTable.Column] {
        table.filters.filter { filter in !table.primaryKey.contains { $0.name == filter.name } }
    }

    private var rowFilterParameters: [String] {
        rowFilters.map { "\(SwiftNames.label($0.property)): \($0.swiftType)? = nil" }
    }

    private var rowFilterArguments: String {
        rowFilters.map { "\(SwiftNames.label($0.property)): \(SwiftNames.identifier($0.property))" }.joined(separator: ", ")
    }

    /// `ownerId: UUID? = nil` for each foreign-key filter.
    private var filterParameters: [String] {
        table.filters.map { "\(SwiftNames.label($0.property)): \($0.swiftType)? = nil" }
    }

    private var filterArguments: String {
        table.filters.map { "\(SwiftNames.label($0.property)): \(SwiftNames.identifier($0.property))" }.joined(separator: ", ")
    }

    private var filterDescription: String {
        guard !table.filters.isEmpty else { return "" }
        let names = table.filters.map { "`\($0.property)`" }.joined(separator: " and ")
        return " \(names) keep\(table.filters.count == 1 ? "s" : "") only the rows that have that value."
    }

    /// For statements on one row: the filters must match it too.
    private var rowFilterDescription: String {
        let names = rowFilters.map { "`\($0.property)`" }.joined(separator: " and ")
        return " With \(names), only a row that has that value counts (an owner's row, say)."
    }

    private func emitList(into writer: inout CodeWriter) {
        let parameters = filterParameters + ["skip: Int64 = 0", "limit: Int64 = 100"]
        writer.docComment("One page of rows sorted by \(orderDescription), skipping `skip` rows.\(filterDescription)")
        writer.block("public func list(\(parameters.joined(separator: ", "))) async throws -> [\(rowType)] {") { writer in
            writer.line("try await database.query(\(listQuery)).map(Self.row)")
        }
    }

    private func emitCount(into writer: inout CodeWriter) {
        writer.docComment("The number of rows.\(filterDescription)")
        writer.block("public func count(\(filterParameters.joined(separator: ", "))) async throws -> Int {") { writer in
            writer.line("try await database.query(\(countQuery)).first?.decode(Int.self) ?? 0")
        }
    }

    /// Both statements in one round trip where the queryable pipelines (the pool and a
    /// connection do): they do not depend on each other.
    private func emitPage(into writer: inout CodeWriter) {
        let parameters = filterParameters + ["skip: Int64 = 0", "limit: Int64 = 100"]
        writer.docComment(
            "`list` and `count` with the same filters: a page and the number of rows in all pages. Both statements go "
                + "out together: one round trip on a pool or a connection, which pipeline them.")
        writer.block(
            "public func page(\(parameters.joined(separator: ", "))) async throws -> (rows: [\(rowType)], count: Int) {"
        ) { writer in
            writer.line("let results = try await database.query(pipelining: [")
            writer.indented { writer in
                writer.line("\(listQuery),")
                writer.line("\(countQuery),")
            }
            writer.line("])")
            writer.line("return (try results[0].map(Self.row), try results[1].first?.decode(Int.self) ?? 0)")
        }
    }

    /// `Self.listQuery(ownerId: ownerId, skip: skip, limit: limit)`.
    private var listQuery: String {
        let arguments = filterArguments.isEmpty ? "" : filterArguments + ", "
        return "Self.listQuery(\(arguments)skip: skip, limit: limit)"
    }

    /// `Self.countQuery(ownerId: ownerId)`.
    private var countQuery: String { "Self.countQuery(\(filterArguments))" }

    /// The statements of `list` and `count`, which `page` sends together.
    private func emitListAndCountQueries(into writer: inout CodeWriter) {
        let filters = table.filters.map { "\(SwiftNames.label($0.property)): \($0.swiftType)?" }
        let arguments = filterArguments.isEmpty ? "" : ", " + filterArguments
        writer.docComment("The statement of `list`.")
        writer.block(
            "private static func listQuery(\((filters + ["skip: Int64", "limit: Int64"]).joined(separator: ", "))) -> PostgresQuery {"
        ) { writer in
            writer.line("var query = filtered(\"SELECT \\(columns) FROM \(escapedForLiteral(tableName))\"\(arguments))")
            writer.line(
                "query.sql += \" ORDER BY \(escapedForLiteral(orderBy)) OFFSET $\\(query.binds.count + 1) LIMIT $\\(query.binds.count + 2)\""
            )
            writer.line("query.binds += [skip, limit]")
            writer.line("return query")
        }
        writer.line()
        writer.docComment("The statement of `count`.")
        writer.block("private static func countQuery(\(filters.joined(separator: ", "))) -> PostgresQuery {") { writer in
            writer.line("filtered(\"SELECT count(*) FROM \(escapedForLiteral(tableName))\"\(arguments))")
        }
    }

    private func emitListAfter(_ columns: [RepositoryTable.OrderColumn], into writer: inout CodeWriter) {
        let parameters = filterParameters + ["after cursor: Cursor?", "limit: Int64 = 100"]
        writer.docComment(
            "Keyset pagination: up to `limit` rows after `cursor` (from the start when nil) in the order of `list`. "
                + "Unlike `skip`, the cost does not grow with the page number, and rows inserted meanwhile "
                + "shift nothing.\(filterDescription)")
        writer.block("public func list(\(parameters.joined(separator: ", "))) async throws -> [\(rowType)] {") { writer in
            let arguments = filterArguments.isEmpty ? "" : ", " + filterArguments
            writer.line(
                "var query = Self.filtered(\"SELECT \\(Self.columns) FROM \(escapedForLiteral(tableName))\"\(arguments), after: cursor)")
            writer.line("query.sql += \" ORDER BY \(escapedForLiteral(orderBy)) LIMIT $\\(query.binds.count + 1)\"")
            writer.line("query.binds.append(limit)")
            writer.line("return try await database.query(query).map(Self.row)")
        }
    }

    private func emitUpdate(into writer: inout CodeWriter) {
        var binds: [String] = []
        var assignments: [String] = []
        for column in changeableColumns {
            let name = SQLIdentifier.quote(column.name)
            let field = "changes.\(column.property)"
            if column.isNullable {
                binds.append("\(field).isPresent")
                binds.append(column.binding.bind("\(field).value", optional: true))
            } else {
                binds.append("\(field) != nil")
                binds.append(column.binding.bind(field, optional: true))
            }
            assignments.append("\(name) = CASE WHEN $\(binds.count - 1) THEN $\(binds.count) ELSE \(name) END")
        }
        let key = table.primaryKey
        let keyBinds = key.map { $0.binding.bind(SwiftNames.identifier($0.property), optional: false) }
        let condition = conditions(key, from: binds.count + 1)
        // With nothing to change, the statement still returns the row (and says whether it exists).
        let sql =
            assignments.isEmpty
            ? "SELECT \(table.selectList) FROM \(tableName) WHERE \(condition)"
            : "UPDATE \(tableName) SET \(assignments.joined(separator: ", ")) WHERE \(condition)"
        writer.line("static let updateSQL = \(SwiftNames.rawLiteral(sql))")
        writer.line()
        let restricts = !rowFilters.isEmpty
        writer.docComment(
            "Applies `changes` to the row with this primary key and returns it; nil when there is none. A broken "
                + "constraint throws `Violation`." + (restricts ? rowFilterDescription : ""))
        let parameters = [parameters(key)] + (restricts ? rowFilterParameters : []) + ["_ changes: Changes"]
        writer.block("public func update(\(parameters.joined(separator: ", "))) async throws -> \(rowType)? {") { writer in
            let all = binds + keyBinds
            writer.line("let binds: [any PostgresBindable] = [")
            writer.indented { writer in
                for bind in all { writer.line(bind + ",") }
            }
            writer.line("]")
            writer.line("var query = PostgresQuery(unsafeSQL: Self.updateSQL, binds: binds)")
            if restricts { writer.line("Self.restrict(&query, \(rowFilterArguments))") }
            if !assignments.isEmpty { writer.line("query.sql += \" RETURNING \" + Self.columns") }
            writer.line("return try await run(query).first.map(Self.row)")
        }
    }

    private func emitDelete(into writer: inout CodeWriter) {
        let key = table.primaryKey
        let sql = "DELETE FROM \(tableName) WHERE \(conditions(key))"
        let restricts = !rowFilters.isEmpty
        writer.docComment(
            "Deletes the row with this primary key; false when there was none."
                + (restricts ? rowFilterDescription : ""))
        writer.line("@discardableResult")
        let parameters = [parameters(key)] + (restricts ? rowFilterParameters : [])
        writer.block("public func delete(\(parameters.joined(separator: ", "))) async throws -> Bool {") { writer in
            let query = "PostgresQuery(unsafeSQL: \(SwiftNames.rawLiteral(sql)), binds: [\(binds(key))])"
            if restricts {
                writer.line("var query = \(query)")
                writer.line("Self.restrict(&query, \(rowFilterArguments))")
                writer.line("return try await run(query).affectedRows > 0")
            } else {
                writer.line("return try await run(\(query)).affectedRows > 0")
            }
        }
    }

    // MARK: - Helpers

    private func emitHelpers(into writer: inout CodeWriter) {
        emitListAndCountQueries(into: &writer)
        writer.line()
        writer.docComment(
            "A row of `columns`, read by position: no lookup by name and no `Decoder` per value (reading "
                + "rows through `Decodable` was a fifth of the server's time on a page of 100).")
        writer.block("static func row(_ row: PostgresRow) throws -> \(rowType) {") { writer in
            let arguments = table.rowInitOrder.map { column in
                let position = table.columns.firstIndex { $0.name == column.name } ?? 0
                return "\(SwiftNames.label(column.property)): row.decode(at: \(position))"
            }
            writer.line("try \(rowType)(\(arguments.joined(separator: ", ")))")
        }
        writer.line()
        writer.docComment("Runs a write, turning a broken constraint of this table into its `Violation`.")
        writer.block("private func run(_ query: PostgresQuery) async throws -> PostgresRows {") { writer in
            writer.line("do {")
            writer.indented { $0.line("return try await database.query(query)") }
            writer.line("} catch let error as PostgresError {")
            writer.indented { writer in
                writer.line("if let violation = Violation(error) { throw violation }")
                writer.line("throw error")
            }
            writer.line("}")
        }
        if !rowFilters.isEmpty {
            writer.line()
            writer.docComment("Adds ` AND column = $n` to `query`, which has a `WHERE`, for each filter that is set.")
            let parameters =
                ["_ query: inout PostgresQuery"] + rowFilters.map { "\(SwiftNames.label($0.property)): \($0.swiftType)?" }
            writer.block("private static func restrict(\(parameters.joined(separator: ", "))) {") { writer in
                for filter in rowFilters {
                    let name = SwiftNames.identifier(filter.property)
                    writer.block("if let \(name) {") { writer in
                        writer.line("query.binds.append(\(filter.binding.bind(name, optional: false)))")
                        writer.line(
                            "query.sql += \" AND \(escapedForLiteral(SQLIdentifier.quote(filter.name))) = $\\(query.binds.count)\"")
                    }
                }
            }
        }
        writer.line()
        var parameters = ["_ sql: String"] + table.filters.map { "\(SwiftNames.label($0.property)): \($0.swiftType)?" }
        if cursorColumns != nil { parameters.append("after cursor: Cursor? = nil") }
        writer.docComment("`sql` with a `WHERE` for each filter that is set (and for the rows after `cursor`).")
        writer.block("private static func filtered(\(parameters.joined(separator: ", "))) -> PostgresQuery {") { writer in
            // Nothing to filter by: no conditions to collect (an unused `var` would warn).
            guard !table.filters.isEmpty || cursorColumns != nil else {
                writer.line("PostgresQuery(unsafeSQL: sql)")
                return
            }
            writer.line("var query = PostgresQuery(unsafeSQL: sql)")
            writer.line("var conditions: [String] = []")
            for filter in table.filters {
                let name = SwiftNames.identifier(filter.property)
                writer.block("if let \(name) {") { writer in
                    writer.line("query.binds.append(\(filter.binding.bind(name, optional: false)))")
                    writer.line("conditions.append(\"\(escapedForLiteral(SQLIdentifier.quote(filter.name))) = $\\(query.binds.count)\")")
                }
            }
            if let cursorColumns { emitCursorCondition(cursorColumns, into: &writer) }
            writer.line("if !conditions.isEmpty { query.sql += \" WHERE \" + conditions.joined(separator: \" AND \") }")
            writer.line("return query")
        }
    }

    /// `("created_at" < $1 OR ("created_at" = $1 AND "id" > $2))` for `created_at DESC, id`:
    /// after the cursor in the list's order, column by column, whatever each one's direction.
    private func emitCursorCondition(_ columns: [RepositoryTable.OrderColumn], into writer: inout CodeWriter) {
        writer.block("if let cursor {") { writer in
            writer.line("let first = query.binds.count + 1")
            for order in columns {
                writer.line("query.binds.append(\(order.column.binding.bind("cursor.\(order.column.property)", optional: false)))")
            }
            var alternatives: [String] = []
            for (index, order) in columns.enumerated() {
                var parts: [String] = []
                for (earlier, previous) in columns.prefix(index).enumerated() {
                    parts.append("\(escapedForLiteral(SQLIdentifier.quote(previous.column.name))) = $\\(first + \(earlier))")
                }
                let comparison = order.descending ? "<" : ">"
                parts.append("\(escapedForLiteral(SQLIdentifier.quote(order.column.name))) \(comparison) $\\(first + \(index))")
                alternatives.append(parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " AND ") + ")")
            }
            writer.line("conditions.append(\"(\(alternatives.joined(separator: " OR ")))\")")
        }
    }

    // MARK: - Names

    private func names(_ columns: [RepositoryTable.Column]) -> String {
        columns.map { "`\($0.name)`" }.joined(separator: " and ")
    }

    /// `Id`, `OwnerIdName`: the columns' properties, capitalised, for case names.
    private func caseSuffix(_ columns: [RepositoryTable.Column]) -> String {
        columns.map { $0.property.prefix(1).uppercased() + $0.property.dropFirst() }.joined()
    }

    /// `text` inside an ordinary Swift string literal that also holds `\(...)` interpolations.
    private func escapedForLiteral(_ text: String) -> String {
        let literal = SwiftNames.literal(text)
        return String(literal.dropFirst().dropLast())
    }
}
