import OpenAPI

/// `schema.lock.json`: the tables as last generated, which is the database the migrations
/// build, and the migration files that account for it. The next run diffs the spec against
/// it; the migrations themselves are never parsed.
///
/// ```json
/// {
///   "format": 1,
///   "migrations": ["0001_create_user_item.sql"],
///   "tables": {
///     "item": {
///       "columns": [{"name": "id", "notNull": true, "type": "uuid", "unique": false, ...}],
///       "indexes": [{"columns": ["owner_id"], "name": "ix_item_owner_id", "unique": false}],
///       "primaryKey": ["id"]
///     }
///   }
/// }
/// ```
struct SQLSchemaLock: Equatable {
    /// Bumped when the layout or the naming of constraints changes, so an old specgen does not
    /// misread a newer lock.
    static let format = 1

    /// The tables before the newest migration, which `specgen migrations discard` restores.
    struct Previous: Equatable {
        /// The newest migration's file name: the snapshot is only good while it is the newest.
        var migration: String
        var tables: [SQLTable]
    }

    /// Sorted by name when encoded; order carries no meaning here.
    var tables: [SQLTable]
    /// Migration file names, in order.
    var migrations: [String]
    /// Absent in locks written before discarding existed, and after a discard.
    var previous: Previous?

    // MARK: - Encoding

    func encoded() -> String {
        var members = OrderedMap<JSONValue>([
            ("format", .integer(Self.format)),
            ("migrations", .array(migrations.map(JSONValue.string))),
        ])
        if let previous {
            members["previous"] = .object(
                OrderedMap([
                    ("migration", .string(previous.migration)),
                    ("tables", Self.encode(previous.tables)),
                ]))
        }
        members["tables"] = Self.encode(tables)
        return SQLJSONWriter.pretty(.object(members))
    }

    private static func encode(_ tables: [SQLTable]) -> JSONValue {
        var tableMembers = OrderedMap<JSONValue>()
        for table in tables.sorted(by: { $0.name < $1.name }) {
            tableMembers[table.name] = .object(
                OrderedMap([
                    ("columns", .array(table.columns.map(Self.encode))),
                    ("indexes", .array(table.indexes.map(Self.encode))),
                    ("primaryKey", .array(table.primaryKey.map(JSONValue.string))),
                ]))
        }
        return .object(tableMembers)
    }

    private static func encode(_ column: SQLColumn) -> JSONValue {
        var members = OrderedMap<JSONValue>([
            ("name", .string(column.name)),
            ("type", .string(column.type)),
            ("notNull", .bool(column.isNotNull)),
            ("unique", .bool(column.isUnique)),
        ])
        if let expression = column.defaultExpression { members["default"] = .string(expression) }
        if let check = column.check { members["check"] = .string(check) }
        if let reference = column.reference {
            members["references"] = .object(
                OrderedMap([
                    ("table", .string(reference.table)),
                    ("column", .string(reference.column)),
                    ("onDelete", .string(reference.onDelete.rawValue)),
                ]))
        }
        return .object(members)
    }

    /// `descending` and `where` only when set, so locks written before they existed read the same.
    private static func encode(_ index: SQLIndex) -> JSONValue {
        var members = OrderedMap<JSONValue>([
            ("name", .string(index.name)),
            ("columns", .array(index.columns.map(JSONValue.string))),
            ("unique", .bool(index.isUnique)),
        ])
        if !index.descending.isEmpty { members["descending"] = .array(index.descending.map(JSONValue.string)) }
        if let predicate = index.predicate { members["where"] = .string(predicate) }
        return .object(members)
    }

    // MARK: - Decoding

    /// The lock in `text`, or diagnostics at the place in `file` that is wrong.
    static func decode(_ text: String, file: String) -> (lock: SQLSchemaLock?, diagnostics: [Diagnostic]) {
        // A `.json` name makes the parser read JSON whatever the caller named the file.
        let (tree, log) = NodeTree.parse(Array(text.utf8), file: file.hasSuffix(".json") ? file : file + ".json")
        var reader = Reader(tree: tree, file: file)
        for entry in log.entries {
            var entry = entry
            entry.location.file = file
            reader.diagnostics.append(entry)
        }
        guard !log.hasErrors, let root = tree.root else {
            if !log.hasErrors { reader.fail("the file is empty", nil) }
            return (nil, reader.diagnostics)
        }
        let lock = reader.lock(root)
        return (reader.diagnostics.contains { $0.severity == .error } ? nil : lock, reader.diagnostics)
    }

    /// Walks the parsed tree; every problem names the node it is about.
    private struct Reader {
        typealias Node = NodeTree.Index

        let tree: NodeTree
        let file: String
        var diagnostics: [Diagnostic] = []

        init(tree: NodeTree, file: String) {
            self.tree = tree
            self.file = file
        }

        mutating func lock(_ root: Node) -> SQLSchemaLock? {
            guard mapping(root, "the lock file") else { return nil }
            guard let formatNode = tree.value(root, forKey: "format"), !tree.isQuoted(formatNode),
                let format = Int(tree.string(formatNode))
            else {
                fail("'format' is missing or not a number", root)
                return nil
            }
            guard format == SQLSchemaLock.format else {
                fail(
                    "it has format \(format), and this specgen reads format \(SQLSchemaLock.format); use the specgen "
                        + "that wrote it", formatNode)
                return nil
            }
            let migrations = strings(root, "migrations", "the lock file") ?? []
            guard let tables = tables(root, "the lock file") else { return nil }
            var previous: Previous?
            if let node = tree.value(root, forKey: "previous") {
                let what = "'previous'"
                if mapping(node, what), let migration = string(node, "migration", what),
                    let tables = self.tables(node, what)
                {
                    previous = Previous(migration: migration, tables: tables)
                }
            }
            return SQLSchemaLock(tables: tables, migrations: migrations, previous: previous)
        }

        private mutating func tables(_ node: Node, _ what: String) -> [SQLTable]? {
            guard let tablesNode = tree.value(node, forKey: "tables"), mapping(tablesNode, "'tables' of \(what)") else {
                if tree.value(node, forKey: "tables") == nil { fail("'tables' of \(what) is missing", node) }
                return nil
            }
            var tables: [SQLTable] = []
            for pair in tree.pairs(tablesNode) {
                if let table = table(tree.string(pair.key), pair.value) { tables.append(table) }
            }
            return tables
        }

        private mutating func table(_ name: String, _ node: Node) -> SQLTable? {
            let what = "table \"\(name)\""
            guard mapping(node, what) else { return nil }
            var columns: [SQLColumn] = []
            if let list = sequence(node, "columns", what) {
                for item in list {
                    if let column = column(item, what) { columns.append(column) }
                }
            }
            var indexes: [SQLIndex] = []
            if let list = sequence(node, "indexes", what) {
                for item in list {
                    let indexWhat = "an index of \(what)"
                    guard mapping(item, indexWhat), let indexName = string(item, "name", indexWhat),
                        let indexColumns = strings(item, "columns", indexWhat), let unique = bool(item, "unique", indexWhat)
                    else { continue }
                    let descending =
                        tree.value(item, forKey: "descending") == nil ? [] : strings(item, "descending", indexWhat) ?? []
                    let predicate = optionalString(item, "where", indexWhat)
                    indexes.append(
                        SQLIndex(
                            name: indexName, columns: indexColumns, isUnique: unique, descending: descending,
                            predicate: predicate))
                }
            }
            guard let primaryKey = strings(node, "primaryKey", what) else { return nil }
            return SQLTable(
                name: name, columns: columns, primaryKey: primaryKey, indexes: indexes, location: location(node))
        }

        private mutating func column(_ node: Node, _ table: String) -> SQLColumn? {
            let what = "a column of \(table)"
            guard mapping(node, what), let name = string(node, "name", what) else { return nil }
            let columnWhat = "column \"\(name)\" of \(table)"
            guard let type = string(node, "type", columnWhat), let notNull = bool(node, "notNull", columnWhat),
                let unique = bool(node, "unique", columnWhat)
            else { return nil }
            var column = SQLColumn(
                name: name, type: type, isNotNull: notNull, isUnique: unique, location: location(node))
            column.defaultExpression = optionalString(node, "default", columnWhat)
            column.check = optionalString(node, "check", columnWhat)
            if let referenceNode = tree.value(node, forKey: "references") {
                let referenceWhat = "'references' of \(columnWhat)"
                guard mapping(referenceNode, referenceWhat), let target = string(referenceNode, "table", referenceWhat),
                    let targetColumn = string(referenceNode, "column", referenceWhat),
                    let action = string(referenceNode, "onDelete", referenceWhat)
                else { return nil }
                guard let onDelete = SQLForeignKey.Action(rawValue: action) else {
                    fail("unknown onDelete \"\(action)\" in \(referenceWhat)", referenceNode)
                    return nil
                }
                column.reference = SQLForeignKey(table: target, column: targetColumn, onDelete: onDelete)
            }
            return column
        }

        // MARK: Values

        private mutating func mapping(_ node: Node, _ what: String) -> Bool {
            if tree.kind(node) == .mapping { return true }
            fail("\(what) must be an object", node)
            return false
        }

        private mutating func sequence(_ node: Node, _ key: String, _ what: String) -> [Node]? {
            guard let value = tree.value(node, forKey: key) else {
                fail("'\(key)' of \(what) is missing", node)
                return nil
            }
            guard tree.kind(value) == .sequence else {
                fail("'\(key)' of \(what) must be a list", value)
                return nil
            }
            return Array(tree.items(value))
        }

        private mutating func strings(_ node: Node, _ key: String, _ what: String) -> [String]? {
            guard let items = sequence(node, key, what) else { return nil }
            var result: [String] = []
            for item in items {
                guard tree.kind(item) == .scalar, tree.isQuoted(item) else {
                    fail("'\(key)' of \(what) must hold strings only", item)
                    return nil
                }
                result.append(tree.string(item))
            }
            return result
        }

        private mutating func string(_ node: Node, _ key: String, _ what: String) -> String? {
            guard let value = tree.value(node, forKey: key) else {
                fail("'\(key)' of \(what) is missing", node)
                return nil
            }
            guard tree.kind(value) == .scalar, tree.isQuoted(value) else {
                fail("'\(key)' of \(what) must be a string", value)
                return nil
            }
            return tree.string(value)
        }

        private mutating func optionalString(_ node: Node, _ key: String, _ what: String) -> String? {
            guard let value = tree.value(node, forKey: key) else { return nil }
            if tree.kind(value) == .scalar, !tree.isQuoted(value), tree.string(value) == "null" { return nil }
            return string(node, key, what)
        }

        private mutating func bool(_ node: Node, _ key: String, _ what: String) -> Bool? {
            guard let value = tree.value(node, forKey: key) else {
                fail("'\(key)' of \(what) is missing", node)
                return nil
            }
            if tree.kind(value) == .scalar, !tree.isQuoted(value) {
                switch tree.string(value) {
                case "true": return true
                case "false": return false
                default: break
                }
            }
            fail("'\(key)' of \(what) must be true or false", value)
            return nil
        }

        /// Where `node` sits, under the name the caller gave the file.
        private func location(_ node: Node) -> SourceLocation {
            var location = tree.location(node)
            location.file = file
            return location
        }

        mutating func fail(_ problem: String, _ node: Node?) {
            let location = node.map(location) ?? SourceLocation(file: file, line: 1, column: 1)
            diagnostics.append(
                Diagnostic(
                    .error,
                    "\(file) is damaged: \(problem); restore it from version control, since it records the tables the "
                        + "migrations build",
                    at: location))
        }
    }
}
