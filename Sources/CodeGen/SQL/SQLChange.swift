import OpenAPI

/// One difference between the lock and the spec, with the statements that apply it.
///
/// A change's statements are spread over phases because a migration has to run them in an
/// order no single change can see: foreign keys are dropped before the tables they point at
/// and added after the columns and unique constraints they need.
struct SQLChange {
    enum Phase: Int, Comparable {
        /// Renames come first: every later statement names tables and columns as the spec does.
        case renames
        case dropForeignKeys
        case dropIndexes
        case dropConstraints
        case dropTables
        case createTables
        case alterColumns
        case addConstraints
        case createIndexes
        case addForeignKeys

        static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    struct Statement {
        var phase: Phase
        var sql: String
    }

    /// What the change does, for the migration's header and for diagnostics:
    /// `drop column "item"."priority"`.
    var summary: String
    /// The change in a file name: `drop_item_priority`.
    var slug: String
    /// Tables and columns coming and going name a migration before changes to what they
    /// hold: `add_item_priority_and_more` says more than `widen_item_description_and_more`.
    var isStructural = false
    /// Drops, narrowing and `SET NOT NULL` can lose data or fail on existing rows; they are
    /// only generated when the user asks for them.
    var isDestructive: Bool
    /// The spec's declaration, or the lock file's entry for what the spec no longer has.
    var location: SourceLocation?
    var statements: [Statement]

    init(
        _ summary: String, slug: String, isDestructive: Bool = false, location: SourceLocation?,
        statements: [Statement]
    ) {
        self.summary = summary
        self.slug = slug
        self.isDestructive = isDestructive
        self.location = location
        self.statements = statements
    }
}
