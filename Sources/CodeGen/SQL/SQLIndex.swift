/// An index from `x-db-index: true` on a property or an entry of the table's `x-db-indexes`.
public struct SQLIndex: Hashable, Sendable {
    public var name: String
    public var columns: [String]
    public var isUnique: Bool

    public init(name: String, columns: [String], isUnique: Bool = false) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
    }
}
