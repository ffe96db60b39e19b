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
    /// How its results are asked for: text until a first result shows its column types, then
    /// binary when every type is one `PostgresBinary` reads.
    var results = ResultFormat.unknown

    enum ResultFormat {
        case unknown
        case text
        /// `sessionDependent`: a date or time column, whose text depends on the session's
        /// settings, so each send checks them.
        case binary(sessionDependent: Bool)
    }

    /// Learns the format from a result of this statement. Under the connection's lock.
    func learnResults(from result: OpaquePointer) {
        guard case .unknown = results, PQresultStatus(result) == PGRES_TUPLES_OK else { return }
        var sessionDependent = false
        for column in 0..<PQnfields(result) {
            let type = PostgresDataType(PQftype(result, column))
            guard PostgresBinary.isReadable(type) else {
                results = .text
                return
            }
            if PostgresBinary.dependsOnSession(type) { sessionDependent = true }
        }
        results = .binary(sessionDependent: sessionDependent)
    }

    /// libpq's `resultFormat` for the next execution on `handle`. Under the connection's lock.
    func resultFormat(on handle: OpaquePointer) -> Int32 {
        guard case .binary(let sessionDependent) = results else { return 0 }
        return !sessionDependent || PostgresBinary.sessionAllowsTimes(handle) ? 1 : 0
    }

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
