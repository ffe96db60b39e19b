import OpenAPI

/// A column's `x-db-references: table.column`, with what happens to the row when the
/// referenced row is deleted (`x-db-on-delete`).
public struct SQLForeignKey: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable, CaseIterable {
        case cascade
        case setNull = "set null"
        case restrict
        case noAction = "no action"

        /// The action as `x-db-on-delete` spells it, case and `_`/space insensitive.
        public init?(spelling: String) {
            let words = spelling.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" })
            self.init(rawValue: words.joined(separator: " "))
        }

        /// The `ON DELETE` clause, empty for PostgreSQL's default so dumps and files agree.
        var clause: String {
            switch self {
            case .noAction: return ""
            case .cascade: return " ON DELETE CASCADE"
            case .setNull: return " ON DELETE SET NULL"
            case .restrict: return " ON DELETE RESTRICT"
            }
        }
    }

    public var table: String
    public var column: String
    public var onDelete: Action

    public init(table: String, column: String, onDelete: Action = .noAction) {
        self.table = table
        self.column = column
        self.onDelete = onDelete
    }
}
