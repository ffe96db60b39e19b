import OpenAPI

/// A table: a component schema with `x-db-table`, its properties as columns.
public struct SQLTable: Hashable, Sendable {
    public var name: String
    /// Columns in their physical order (the spec's, or the database's once a lock exists).
    public var columns: [SQLColumn]
    /// The `x-db-primary-key` columns in declaration order; several make a composite key.
    public var primaryKey: [String]
    public var indexes: [SQLIndex]
    /// The component schema the table comes from (`ItemRow`); `nil` when read from the lock.
    public var schemaName: String?
    /// Where the spec declares the table, or where the lock file records it when read back.
    public var location: SourceLocation?
    /// The model's name for the row type (`ItemRow`), which the repositories decode into; `nil`
    /// when read from the lock.
    public var typeName: String?
    /// `x-db-renamed-from` on the table schema: earlier table names (spec-only, not in the lock).
    public var renamedFrom: [String] = []

    public init(
        name: String, columns: [SQLColumn], primaryKey: [String], indexes: [SQLIndex] = [],
        schemaName: String? = nil, location: SourceLocation? = nil
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
        self.schemaName = schemaName
        self.location = location
    }

    public func column(named name: String) -> SQLColumn? { columns.first { $0.name == name } }

    /// The tables this one's foreign keys point at, itself excluded, in column order.
    public var referencedTables: [String] {
        var seen: [String] = []
        for column in columns {
            if let target = column.reference?.table, target != name, !seen.contains(target) { seen.append(target) }
        }
        return seen
    }

    /// Equality is about the database, as for `SQLColumn`: provenance does not count.
    public static func == (lhs: SQLTable, rhs: SQLTable) -> Bool {
        lhs.name == rhs.name && lhs.columns == rhs.columns && lhs.primaryKey == rhs.primaryKey
            && lhs.indexes == rhs.indexes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(columns)
        hasher.combine(primaryKey)
        hasher.combine(indexes)
    }
}
