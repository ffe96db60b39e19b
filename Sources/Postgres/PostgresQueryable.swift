/// Something statements run on: the pool (each statement on a connection it leases) or one
/// connection (inside a transaction). Generated repositories take either.
public protocol PostgresQueryable: Sendable {
    func query(_ query: PostgresQuery) async throws -> PostgresRows
}

extension PostgresPool: PostgresQueryable {}

extension PostgresConnection: PostgresQueryable {}
