import API
import Foundation
import Postgres

/// The `item` table.
public struct ItemRepository: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    public func find(id: UUID) async throws -> ItemRow? {
        try await pool.query("SELECT * FROM item WHERE id = \(id)").decode(ItemRow.self).first
    }

    /// One page, newest first, of `owner`'s items (everyone's when nil), and the count in all pages:
    /// both statements pipelined, in one round trip.
    public func list(owner: UUID?, skip: Int64, limit: Int64) async throws -> (rows: [ItemRow], count: Int) {
        let statements: [PostgresQuery] =
            if let owner {
                [
                    "SELECT count(*) FROM item WHERE owner_id = \(owner)",
                    "SELECT * FROM item WHERE owner_id = \(owner) ORDER BY created_at DESC, id OFFSET \(skip) LIMIT \(limit)",
                ]
            } else {
                ["SELECT count(*) FROM item", "SELECT * FROM item ORDER BY created_at DESC, id OFFSET \(skip) LIMIT \(limit)"]
            }
        let results = try await pool.query(pipelining: statements)
        return (try results[1].decode(ItemRow.self), try results[0].first?.decode(Int.self) ?? 0)
    }

    public func create(title: String, description: String?, owner: UUID) async throws -> ItemRow {
        let rows = try await pool.query(
            "INSERT INTO item (title, description, owner_id) VALUES (\(title), \(description), \(owner)) RETURNING *")
        guard let row = try rows.decode(ItemRow.self).first else { throw PostgresError.columnNotFound("id") }
        return row
    }

    /// Changes the fields given (nil leaves one as it is); nil when there is no such item.
    public func update(id: UUID, title: String?, description: String?) async throws -> ItemRow? {
        try await pool.query(
            """
            UPDATE item SET title = COALESCE(\(title), title), description = COALESCE(\(description), description)
            WHERE id = \(id) RETURNING *
            """
        ).decode(ItemRow.self).first
    }

    /// The ids of `owner`'s items (to drop them from the cache before the owner goes).
    public func ids(owner: UUID) async throws -> [UUID] {
        try await pool.query("SELECT id FROM item WHERE owner_id = \(owner)").map { try $0.decode(UUID.self) }
    }

    @discardableResult
    public func delete(id: UUID) async throws -> Bool {
        try await pool.query("DELETE FROM item WHERE id = \(id)").affectedRows > 0
    }
}
