import API
import Database
import Foundation
import Postgres

/// An item insert that happens only when its owner is a user who exists and is active, checked
/// in the same statement: `INSERT ... SELECT ... FROM "user" WHERE "id" = owner AND "is_active"`.
///
/// Why not the generated `ItemRepository.insert`: that one trusts a user check made before it,
/// which costs a round trip of its own. Guarded like this, the insert can go out in the same
/// round trip as the user's lookup (`PendingUser.resolve(guarding:on:)`): nothing is written
/// for a deleted or deactivated user, whatever the lookup beside it saw. The values and their
/// defaults are the generated insert's (`COALESCE` for the id and `created_at`).
enum GuardedItemInsert {
    static let sql =
        #"INSERT INTO "item" ("id", "title", "description", "owner_id", "created_at") "#
        + #"SELECT COALESCE($1, gen_random_uuid()), $2, $3, "id", COALESCE($4, now()) FROM "user" "#
        + #"WHERE "id" = $5 AND "is_active" RETURNING "id", "title", "description", "owner_id", "created_at""#

    /// The owner of a new row until the user's id fills it in.
    static let ownerToFill = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// The statement inserting `row` for its `ownerId`; its value is the stored row, or nil when
    /// the owner is missing or inactive and nothing was written.
    static func statement(_ row: ItemRepository.NewRow) -> PostgresStatement<ItemRow?> {
        let query = PostgresQuery(unsafeSQL: sql, binds: [row.id, row.title, row.description, row.createdAt, row.ownerId])
        return PostgresStatement(query) { rows in
            try rows.first.map { row in
                try ItemRow(
                    id: row.decode(at: 0), title: row.decode(at: 1), description: row.decode(at: 2),
                    ownerId: row.decode(at: 3), createdAt: row.decode(at: 4))
            }
        }
    }
}
