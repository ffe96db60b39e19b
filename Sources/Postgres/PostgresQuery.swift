/// SQL text plus its parameters.
///
/// Interpolating a value adds a parameter, never text:
///
///     try await pool.query("SELECT * FROM item WHERE owner_id = \(ownerID) LIMIT \(limit)")
///
/// sends `SELECT * FROM item WHERE owner_id = $1 LIMIT $2` with two bound
/// values. Identifiers (table and column names, which cannot be parameters)
/// interpolate with `\(identifier: name)` and are double-quoted. The query
/// APIs take a `PostgresQuery` for single-argument calls so that a string
/// literal with interpolations can never be spliced into SQL by accident.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public var sql: String
    public var binds: [any PostgresBindable]

    /// SQL built at run time; `sql` must not contain untrusted text.
    public init(unsafeSQL sql: String, binds: [any PostgresBindable] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [any PostgresBindable] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next parameter (`$n`).
        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Binds an optional value: nil becomes NULL (typed as `Value`).
        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value?) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Adds a quoted identifier: `"name"`, with inner quotes doubled.
        public mutating func appendInterpolation(identifier: String) {
            sql += Self.quoteIdentifier(identifier)
        }

        static func quoteIdentifier(_ name: String) -> String {
            "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
