import API
import Foundation
import ServerRuntime

/// `items`: every user manages their own items; superusers manage everyone's.
public struct ItemsService: ItemsAPI {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    public func readItems(_ input: ReadItems.Input, context: OperationContext) async throws -> ReadItems.Output {
        let me = try context.currentUser()
        let page = try await app.items.list(owner: me.isSuperuser ? nil : me.id, skip: input.skip, limit: input.limit)
        return .ok(ItemsPublic(data: page.rows.map(\.publicView), count: page.count))
    }

    public func createItem(_ input: CreateItem.Input, context: OperationContext) async throws -> CreateItem.Output {
        let me = try context.currentUser()
        let item = try await app.items.create(title: input.body.title, description: input.body.description, owner: me.id)
        return .ok(item.publicView)
    }

    public func readItem(_ input: ReadItem.Input, context: OperationContext) async throws -> ReadItem.Output {
        switch try await accessibleItem(input.id, context: context) {
        case .success(let item): return .ok(item.publicView)
        case .failure(.notFound(let error)): return .notFound(error)
        case .failure(.forbidden(let error)): return .forbidden(error)
        }
    }

    public func updateItem(_ input: UpdateItem.Input, context: OperationContext) async throws -> UpdateItem.Output {
        switch try await accessibleItem(input.id, context: context) {
        case .success:
            guard let item = try await app.items.update(id: input.id, title: input.body.title, description: input.body.description) else {
                return .notFound(HTTPError(.notFound, detail: Detail.itemNotFound))
            }
            return .ok(item.publicView)
        case .failure(.notFound(let error)): return .notFound(error)
        case .failure(.forbidden(let error)): return .forbidden(error)
        }
    }

    public func deleteItem(_ input: DeleteItem.Input, context: OperationContext) async throws -> DeleteItem.Output {
        switch try await accessibleItem(input.id, context: context) {
        case .success:
            try await app.items.delete(id: input.id)
            return .ok(Message(message: "Item deleted successfully"))
        case .failure(.notFound(let error)): return .notFound(error)
        case .failure(.forbidden(let error)): return .forbidden(error)
        }
    }

    enum Refusal: Error {
        case notFound(HTTPError)
        case forbidden(HTTPError)
    }

    /// The item when it exists and the caller owns it or is a superuser.
    private func accessibleItem(_ id: UUID, context: OperationContext) async throws -> Result<ItemRow, Refusal> {
        let me = try context.currentUser()
        guard let item = try await app.items.find(id: id) else {
            return .failure(.notFound(HTTPError(.notFound, detail: Detail.itemNotFound)))
        }
        guard me.isSuperuser || item.ownerId == me.id else {
            return .failure(.forbidden(HTTPError(.forbidden, detail: Detail.notEnoughPermissions)))
        }
        return .success(item)
    }
}
