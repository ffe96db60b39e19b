/// An index from `x-db-index: true` on a property or an entry of the table's `x-db-indexes`.
public struct SQLIndex: Hashable, Sendable {
    public var name: String
    public var columns: [String]
    public var isUnique: Bool
    /// The columns sorted descending (`order: desc`), a subset of `columns`: an index serves
    /// `ORDER BY created_at DESC, id` only when its directions match or are all reversed.
    public var descending: [String]
    /// A partial index's `WHERE` predicate, an SQL expression copied verbatim.
    public var predicate: String?

    public init(
        name: String, columns: [String], isUnique: Bool = false, descending: [String] = [], predicate: String? = nil
    ) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
        self.descending = descending
        self.predicate = predicate
    }

    /// `"owner_id", "created_at" DESC, "id"`: the column list as `CREATE INDEX` spells it.
    var columnList: String {
        columns.map { SQLIdentifier.quote($0) + (descending.contains($0) ? " DESC" : "") }.joined(separator: ", ")
    }
}
