/// A table as the generated repository sees it: each column with the row type's Swift property
/// for it, and the orders and lookups the repository offers. Built from the model's `SQLTable`
/// and its row type, so the repository, the SQL and the `Codable` row agree by construction.
struct RepositoryTable {
    struct Column {
        /// The column's name, which is also the row property's key on the wire.
        var name: String
        /// The row type's Swift property.
        var property: String
        /// The Swift type without optionality (`String`, `UUID`, `[String]`).
        var swiftType: String
        var isNullable: Bool
        /// The row property is optional in Swift (not required in the schema, say), though the
        /// column may be NOT NULL.
        var isOptionalInRow: Bool
        /// Filled by the database when the insert does not give it (`x-db-default`).
        var defaultExpression: String?
        /// Always written by the database (`serial`, `GENERATED ... AS IDENTITY`): never inserted.
        var isGenerated: Bool
        /// `text`/`varchar`: PostgreSQL cannot store U+0000 in it.
        var isText: Bool
        var reference: SQLForeignKey?
        /// How a value of the property becomes a parameter.
        var binding: ColumnBinding
    }

    /// One column of a sort order; `descending` as the index that serves it says.
    struct OrderColumn {
        var column: Column
        var descending: Bool
    }

    var table: SQLTable
    /// The repository's type name (`ItemRepository` for table `item`).
    var repositoryName: String
    /// The row type (`ItemRow`).
    var rowType: String
    var columns: [Column]
    /// The columns in the order of the row type's memberwise initialiser (its properties'
    /// order), which reading a row by position passes them in.
    var rowInitOrder: [Column]
    var primaryKey: [Column]
    /// The columns `list` and `count` can filter on: every foreign key.
    var filters: [Column]
    /// The order of `list`: an `x-db-indexes` index ending in the primary key (after leading
    /// foreign-key columns, the filters it serves), else the primary key ascending.
    var order: [OrderColumn]
    /// Unique lookups beyond the primary key: single unique columns and unique indexes.
    var uniqueKeys: [(constraint: String, columns: [Column])]
    /// Lookups returning every matching row: single-column non-unique indexes.
    var indexedColumns: [Column]

    func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// The `CREATE TABLE` spelling of the table, quoted.
    var quotedName: String { SQLIdentifier.quote(table.name) }

    /// `"id", "title", ...`: every column, in the table's order, for `SELECT` and `RETURNING`.
    var selectList: String { columns.map { SQLIdentifier.quote($0.name) }.joined(separator: ", ") }
}
