/// Something statements run on: the pool (each statement on a connection it leases) or one
/// connection (inside a transaction). Generated repositories take either.
public protocol PostgresQueryable: Sendable {
    func query(_ query: PostgresQuery) async throws -> PostgresRows

    /// Runs statements that do not depend on each other and returns each one's rows, in order;
    /// throws the first statement's error. The pool and a connection send them all in one round
    /// trip (pipeline mode, one `Sync`: after a failing statement the rest do not run and earlier
    /// writes are undone); the default runs them one after another.
    func query(pipelining queries: [PostgresQuery]) async throws -> [PostgresRows]
}

extension PostgresQueryable {
    public func query(pipelining queries: [PostgresQuery]) async throws -> [PostgresRows] {
        var rows: [PostgresRows] = []
        for query in queries { rows.append(try await self.query(query)) }
        return rows
    }
}

extension PostgresPool: PostgresQueryable {}

extension PostgresConnection: PostgresQueryable {}
