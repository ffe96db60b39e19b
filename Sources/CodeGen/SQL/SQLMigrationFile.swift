/// A migration file as found in `Generated/SQL/migrations/`: its name
/// (`0002_add_item_priority.sql`) and its text, read by the caller.
public struct SQLMigrationFile: Hashable, Sendable {
    public var name: String
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }

    /// The number in front of the name, or `nil` when the name is not `NNNN_slug.sql` (the
    /// form the server's migrator reads).
    public var version: Int? {
        guard name.hasSuffix(".sql") else { return nil }
        let stem = name.dropLast(4)
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, stem.dropFirst(digits.count).first == "_",
            stem.count > digits.count + 1
        else { return nil }
        return Int(digits)
    }
}
