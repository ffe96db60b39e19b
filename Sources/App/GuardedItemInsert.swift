import API
import Database
import Foundation
import Postgres

/// An item insert that happens only when its owner is a user who exists and is active, checked
/// in the same statement (the generated `ItemRepository.insertStatement(_:onlyIf:)`, with this
/// condition on the new row's owner).
///
/// Why not `ItemRepository.insert`: that one trusts a user check made before it, which costs a
/// round trip of its own. Guarded like this, the insert can go out in the same round trip as the
/// user's lookup (`PendingUser.resolve(guarding:on:)`): nothing is written for a deleted or
/// deactivated user, whatever the lookup beside it saw. Generated, it keeps every column a
/// changed spec gives the table.
enum GuardedItemInsert {
    static let activeOwner = #"EXISTS (SELECT 1 FROM "user" WHERE "user"."id" = "new"."owner_id" AND "user"."is_active")"#

    /// The owner of a new row until the user's id fills it in.
    static let ownerToFill = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// The statement inserting `row` for its `ownerId`; its value is the stored row, or nil when
    /// the owner is missing or inactive and nothing was written.
    static func statement(_ row: ItemRepository.NewRow) -> PostgresStatement<ItemRow?> {
        ItemRepository.insertStatement(row, onlyIf: activeOwner)
    }
}
