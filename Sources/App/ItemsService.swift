import API
import Database
import Foundation
import ServerRuntime

/// `items`: every user manages their own items; superusers manage everyone's. Single items are
/// cached in Redis with an `ETag`; every change is published to the owner's WebSockets.
public struct ItemsService: ItemsAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    public func readItems(_ input: Operations.readItems.Input, context: OperationContext) async throws -> Operations.readItems.Output {
        let me = try await context.currentUser()
        let page = try await app.items.page(ownerId: me.isSuperuser ? nil : me.id, skip: input.skip, limit: input.limit)
        return .ok(ItemsPublic(data: page.rows.map(ItemPublic.init), count: page.count))
    }

    public func createItem(_ input: Operations.createItem.Input, context: OperationContext) async throws -> Operations.createItem.Output {
        // The owner is the caller, and the insert itself requires them active: with the user
        // still to be read, both share one round trip. The body is checked before anything is
        // sent; the lookup fills in the owner.
        let row = try ItemRepository.NewRow(input.body, ownerId: GuardedItemInsert.ownerToFill)
        let (_, stored) = try await context.currentUser(
            guarding: { owner in
                var row = row
                row.ownerId = owner
                return GuardedItemInsert.statement(row)
            },
            on: app.items.database)
        let item = ItemPublic(stored)
        await app.notifications.publish(ItemNotification(event: .created, itemId: item.id, ownerId: item.ownerId, item: item))
        return .ok(item)
    }

    public func readItem(_ input: Operations.readItem.Input, context: OperationContext) async throws -> Operations.readItem.Output {
        switch try await accessibleItem(input.id, context: context) {
        case .success(let item):
            let tag = EntityTag.of(item)
            if EntityTag.matches(input.ifNoneMatch, tag) { return .notModified(headers: .init(eTag: tag, other: EntityTag.cacheControl)) }
            return .ok(item, headers: .init(eTag: tag, other: EntityTag.cacheControl))
        case .failure(.notFound(let error)): return .notFound(error)
        case .failure(.forbidden(let error)): return .forbidden(error)
        }
    }

    public func updateItem(_ input: Operations.updateItem.Input, context: OperationContext) async throws -> Operations.updateItem.Output {
        let changes = try ItemRepository.Changes(input.body)
        switch try await accessibleItem(input.id, context: context) {
        case .success:
            let updated = try await app.items.update(id: input.id, changes)
            await app.cache.invalidate([app.keys.cachedItem(input.id)])
            guard let item = updated.map(ItemPublic.init) else {
                return .notFound(HTTPError(.notFound, detail: Detail.itemNotFound))
            }
            await app.notifications.publish(ItemNotification(event: .updated, itemId: item.id, ownerId: item.ownerId, item: item))
            return .ok(item)
        case .failure(.notFound(let error)): return .notFound(error)
        case .failure(.forbidden(let error)): return .forbidden(error)
        }
    }

    public func deleteItem(_ input: Operations.deleteItem.Input, context: OperationContext) async throws -> Operations.deleteItem.Output {
        switch try await accessibleItem(input.id, context: context) {
        case .success(let item):
            try await app.items.delete(id: input.id)
            await app.cache.invalidate([app.keys.cachedItem(input.id)])
            await app.notifications.publish(ItemNotification(event: .deleted, itemId: item.id, ownerId: item.ownerId))
            return .ok(Message(message: "Item deleted successfully"))
        case .failure(.notFound(let error)): return .notFound(error)
        case .failure(.forbidden(let error)): return .forbidden(error)
        }
    }

    enum Refusal: Error {
        case notFound(HTTPError)
        case forbidden(HTTPError)
    }

    /// The item (from the cache when it holds it) when it exists and the caller owns it or is a
    /// superuser.
    private func accessibleItem(_ id: UUID, context: OperationContext) async throws -> Result<ItemPublic, Refusal> {
        let key = app.cache.enabled ? app.keys.cachedItem(id) : ""
        var item = await app.cache.get(ItemPublic.self, key: key)
        let me: CurrentUser
        if item == nil {
            // The lease comes before the query: see `ResponseCache`. The item goes out with the
            // user when the user still has to be read: one round trip for both.
            let lease = await app.cache.lease(key)
            let (user, row) = try await context.currentUser(
                alongside: ItemRepository.findStatement(id: id), on: app.items.database)
            me = user
            if let row {
                let fresh = ItemPublic(row)
                item = fresh
                await app.cache.put(fresh, lease: lease)
            }
        } else {
            me = try await context.currentUser()
        }
        guard let item else {
            return .failure(.notFound(HTTPError(.notFound, detail: Detail.itemNotFound)))
        }
        guard me.isSuperuser || item.ownerId == me.id else {
            return .failure(.forbidden(HTTPError(.forbidden, detail: Detail.notEnoughPermissions)))
        }
        return .success(item)
    }
}
