import API
import Database
import ServerRuntime

/// The `Tags` operations. Written by `specgen scaffold` as a starting point: this file is
/// yours, and `specgen` never rewrites it. Each method answers 501 until it is implemented.
public struct TagsService: TagsAPI {
    let app: AppDependencies
    var tags: TagRepository { TagRepository(app.pool) }

    public init(_ app: AppDependencies) {
        self.app = app
    }

    /// GET /api/v1/tags/
    public func readTags(_ input: Operations.readTags.Input, context: OperationContext) async throws -> Operations.readTags.Output {
        let page = try await tags.page(ownerId: context.currentUser().id, skip: input.skip, limit: input.limit)
        return .ok(TagsPublic(data: page.rows.map(TagPublic.init), count: page.count))
    }

    /// POST /api/v1/tags/
    public func createTag(_ input: Operations.createTag.Input, context: OperationContext) async throws -> Operations.createTag.Output {
        do {
            return .ok(TagPublic(try await tags.insert(try .init(input.body, ownerId: context.currentUser().id))))
        } catch TagRepository.Violation.duplicateOwnerIdName {
            return .conflict(HTTPError(.conflict, detail: "A tag with this name already exists"))
        }
    }

    /// GET /api/v1/tags/{id}
    public func readTag(_ input: Operations.readTag.Input, context: OperationContext) async throws -> Operations.readTag.Output {
        guard let tag = try await tags.find(id: input.id, ownerId: context.currentUser().id) else {
            return .notFound(HTTPError(.notFound, detail: "Tag not found"))
        }
        return .ok(TagPublic(tag))
    }

    /// PUT /api/v1/tags/{id}
    public func updateTag(_ input: Operations.updateTag.Input, context: OperationContext) async throws -> Operations.updateTag.Output {
        do {
            guard let tag = try await tags.update(id: input.id, ownerId: context.currentUser().id, try .init(input.body)) else {
                return .notFound(HTTPError(.notFound, detail: "Tag not found"))
            }
            return .ok(TagPublic(tag))
        } catch TagRepository.Violation.duplicateOwnerIdName {
            return .conflict(HTTPError(.conflict, detail: "A tag with this name already exists"))
        }
    }

    /// DELETE /api/v1/tags/{id}
    public func deleteTag(_ input: Operations.deleteTag.Input, context: OperationContext) async throws -> Operations.deleteTag.Output {
        guard try await tags.delete(id: input.id, ownerId: context.currentUser().id) else {
            return .notFound(HTTPError(.notFound, detail: "Tag not found"))
        }
        return .ok(Message(message: "Tag deleted successfully"))
    }
}
