/// How `transaction` begins: isolation level and access mode.
public struct PostgresTransactionOptions: Sendable, Hashable {
    public enum IsolationLevel: String, Sendable, Hashable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Nil keeps the session's default (`READ COMMITTED` unless configured).
    public var isolationLevel: IsolationLevel?
    public var readOnly: Bool

    public init(isolationLevel: IsolationLevel? = nil, readOnly: Bool = false) {
        self.isolationLevel = isolationLevel
        self.readOnly = readOnly
    }

    public static let serializable = PostgresTransactionOptions(isolationLevel: .serializable)

    var beginStatement: String {
        var sql = "BEGIN"
        if let isolationLevel { sql += " ISOLATION LEVEL " + isolationLevel.rawValue }
        if readOnly { sql += " READ ONLY" }
        return sql
    }
}
