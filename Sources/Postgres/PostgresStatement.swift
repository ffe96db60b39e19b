/// A statement together with how its rows are read: a repository's lookup kept as a value, so
/// that lookups which do not depend on each other can share one round trip
/// (`PostgresQueryable.fetch(_:_:)`) instead of each costing its own.
///
/// Some answers are known without asking the database (a lookup by text that no row can hold
/// finds nothing); such a statement sends nothing.
///
/// `@inlinable` `fetch`: callers in other modules get it specialized for their value types;
/// run generically it looked up the metadata of `Plan<Value>` at run time on every call (2,500
/// instructions of an uncached item read; callgrind).
public struct PostgresStatement<Value: Sendable>: Sendable {
    @usableFromInline
    enum Plan: Sendable {
        case run(PostgresQuery, @Sendable (PostgresRows) throws -> Value)
        case known(Value)
    }

    @usableFromInline
    let plan: Plan

    /// `query`, whose rows `read` turns into the value.
    public init(_ query: PostgresQuery, read: @escaping @Sendable (PostgresRows) throws -> Value) {
        self.plan = .run(query, read)
    }

    /// A statement whose answer is `value` without running anything.
    public static func known(_ value: Value) -> PostgresStatement {
        PostgresStatement(plan: .known(value))
    }

    private init(plan: Plan) {
        self.plan = plan
    }

    /// The SQL and binds this statement sends; nil when it sends nothing.
    @inlinable
    public var query: PostgresQuery? {
        if case .run(let query, _) = plan { return query }
        return nil
    }

    @inlinable
    func read(_ rows: PostgresRows?) throws -> Value {
        switch plan {
        case .known(let value): return value
        case .run(_, let read):
            // `fetch` passes rows for every statement that sent a query.
            guard let rows else { preconditionFailure("a statement that ran got no rows") }
            return try read(rows)
        }
    }
}

extension PostgresQueryable {
    /// Runs `statement` and reads its value.
    @inlinable
    public func fetch<Value>(_ statement: PostgresStatement<Value>) async throws -> Value {
        guard let query = statement.query else { return try statement.read(nil) }
        return try statement.read(try await self.query(query))
    }

    /// Runs two statements that do not depend on each other in one round trip (pipelined on a
    /// pool or a connection) and reads both values; throws the first statement's error.
    @inlinable
    public func fetch<First, Second>(
        _ first: PostgresStatement<First>, _ second: PostgresStatement<Second>
    ) async throws -> (First, Second) {
        switch (first.query, second.query) {
        case (nil, nil):
            return (try first.read(nil), try second.read(nil))
        case (let query?, nil):
            return (try first.read(try await self.query(query)), try second.read(nil))
        case (nil, let query?):
            let firstValue = try first.read(nil)
            return (firstValue, try second.read(try await self.query(query)))
        case (let firstQuery?, let secondQuery?):
            let rows = try await self.query(pipelining: [firstQuery, secondQuery])
            return (try first.read(rows[0]), try second.read(rows[1]))
        }
    }
}
