/// Every failure the PostgreSQL client reports.
///
/// The server's SQLSTATE codes the application reacts to have their own case
/// (a unique violation becomes a 409, a serialization failure a retry); the
/// rest keep the code and message in `server`. No message ever contains the
/// connection password.
public enum PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Opening (or re-opening) a connection failed: wrong address, refused,
    /// authentication, missing database.
    case connectFailed(String)
    /// The connection broke while in use (server restart, terminated backend,
    /// network). Not retried automatically: the statement may or may not have
    /// run. The pool reconnects on the connection's next check-out.
    case connectionLost
    /// The connection was closed by `close()`.
    case connectionClosed
    /// The pool was closed by `close()`.
    case poolClosed
    /// No pooled connection became free within the pool's checkout timeout.
    case checkoutTimeout
    /// SQLSTATE 23505.
    case uniqueViolation(constraint: String?)
    /// SQLSTATE 23503.
    case foreignKeyViolation(constraint: String?)
    /// SQLSTATE 40001: retry the whole transaction.
    case serializationFailure
    /// SQLSTATE 57014: the statement timeout or a cancel request stopped it.
    case queryCanceled
    /// Any other error the server reported.
    case server(sqlState: String, message: String)
    /// A connection URL that cannot be used; the reason never repeats the URL.
    case invalidURL(String)
    /// A bound value cannot be sent (a string containing NUL, a query
    /// with parameters given to a simple-protocol call).
    case encoding(String)
    /// A column's value cannot be decoded into the requested type.
    case decoding(column: String, message: String)
    /// The result has no column of that name (or index).
    case columnNotFound(String)

    /// True when the server could not be reached or the connection broke: the request may
    /// succeed later, so an HTTP layer answers 503 rather than 500.
    public var isUnavailable: Bool {
        switch self {
        case .connectFailed, .connectionLost, .connectionClosed, .poolClosed, .checkoutTimeout: true
        case .server(let sqlState, _):
            // Class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown,
            // cannot connect now: a server that is stopping or still starting).
            sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        default: false
        }
    }

    /// The SQLSTATE code this error stands for, when there is one.
    public var sqlState: String? {
        switch self {
        case .uniqueViolation: "23505"
        case .foreignKeyViolation: "23503"
        case .serializationFailure: "40001"
        case .queryCanceled: "57014"
        case .server(let sqlState, _): sqlState
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .connectFailed(let message): "could not connect to PostgreSQL: \(message)"
        case .connectionLost: "the connection to PostgreSQL was lost"
        case .connectionClosed: "the PostgreSQL connection is closed"
        case .poolClosed: "the PostgreSQL connection pool is closed"
        case .checkoutTimeout: "timed out waiting for a free PostgreSQL connection"
        case .uniqueViolation(let constraint):
            "unique constraint \(constraint.map { "\"\($0)\"" } ?? "") violated (23505)"
        case .foreignKeyViolation(let constraint):
            "foreign key constraint \(constraint.map { "\"\($0)\"" } ?? "") violated (23503)"
        case .serializationFailure: "could not serialize access due to concurrent update (40001)"
        case .queryCanceled: "the statement was canceled (statement timeout or cancel request) (57014)"
        case .server(let sqlState, let message): "\(message) (\(sqlState))"
        case .invalidURL(let reason): "invalid PostgreSQL URL: \(reason)"
        case .encoding(let message): "cannot encode a bound value: \(message)"
        case .decoding(let column, let message): "cannot decode column \"\(column)\": \(message)"
        case .columnNotFound(let column): "the result has no column \"\(column)\""
        }
    }

    /// Maps a server error to its typed case.
    static func fromServer(sqlState: String, message: String, constraint: String?) -> PostgresError {
        switch sqlState {
        case "23505": return .uniqueViolation(constraint: constraint)
        case "23503": return .foreignKeyViolation(constraint: constraint)
        case "40001": return .serializationFailure
        case "57014": return .queryCanceled
        // admin_shutdown, crash_shutdown, cannot_connect_now, and class 08
        // (connection exception): the session is gone.
        case "57P01", "57P02", "57P03": return .connectionLost
        case _ where sqlState.hasPrefix("08"): return .connectionLost
        default: return .server(sqlState: sqlState, message: message)
        }
    }
}
