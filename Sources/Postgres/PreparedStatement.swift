import CLibPQ

/// A statement prepared (or being prepared) on one connection under `name`.
///
/// A class so the statements pipelined behind the `Parse` that creates it can
/// report the `Parse`'s own error (a syntax error, a missing table) instead
/// of "prepared statement does not exist". Touched only under the
/// connection's lock.
final class PreparedStatement {
    let name: String
    let key: StatementKey
    /// Why preparing failed; nil while pending or once prepared.
    var failure: PostgresError?

    init(name: String, key: StatementKey) {
        self.name = name
        self.key = key
    }
}

/// A cached prepared statement is specific to its SQL and parameter types.
struct StatementKey: Hashable, Sendable {
    let sql: String
    let types: [Oid]
}
