import OpenAPI

/// One column of a table: a property of an `x-db-table` schema.
public struct SQLColumn: Hashable, Sendable {
    public var name: String
    /// The PostgreSQL type as written in statements: `uuid`, `varchar(255)`, `text[]`.
    public var type: String
    public var isNotNull: Bool
    /// An SQL expression (`x-db-default`), copied verbatim.
    public var defaultExpression: String?
    public var isUnique: Bool
    /// The boolean expression of the column's CHECK constraint (string enums).
    public var check: String?
    public var reference: SQLForeignKey?
    /// Where the spec declares the column, or where the lock file records it when read back.
    public var location: SourceLocation?
    /// `x-db-renamed-from`: earlier names, so a migration renames the column instead of dropping
    /// it and adding an empty one. Spec-only, like `backfill`: the lock records the database.
    public var renamedFrom: [String] = []
    /// `x-db-backfill`: the SQL expression that fills existing rows when the column becomes
    /// NOT NULL (added, or made required), so the migration works on a table holding rows.
    public var backfill: String?

    public init(
        name: String, type: String, isNotNull: Bool = false, defaultExpression: String? = nil,
        isUnique: Bool = false, check: String? = nil, reference: SQLForeignKey? = nil,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.type = type
        self.isNotNull = isNotNull
        self.defaultExpression = defaultExpression
        self.isUnique = isUnique
        self.check = check
        self.reference = reference
        self.location = location
    }

    /// Equality is about the database: a column read from the lock file equals
    /// the same column built from the spec, which is how "nothing changed" is detected.
    public static func == (lhs: SQLColumn, rhs: SQLColumn) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.isNotNull == rhs.isNotNull
            && lhs.defaultExpression == rhs.defaultExpression && lhs.isUnique == rhs.isUnique
            && lhs.check == rhs.check && lhs.reference == rhs.reference
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(type)
        hasher.combine(isNotNull)
        hasher.combine(defaultExpression)
        hasher.combine(isUnique)
        hasher.combine(check)
        hasher.combine(reference)
    }
}
