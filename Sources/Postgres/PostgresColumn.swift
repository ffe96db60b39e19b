/// A result column: its name (as the query labels it) and type.
public struct PostgresColumn: Sendable, Hashable {
    public var name: String
    public var type: PostgresDataType

    public init(name: String, type: PostgresDataType) {
        self.name = name
        self.type = type
    }
}
