import ServerRuntime

/// The `Items` operations. Written by `specgen scaffold` as a starting point: this file is
/// yours, and `specgen` never rewrites it. Each method answers 501 until it is implemented.
public struct ItemsService: ItemsAPI {
    public init() {}

    /// GET /api/v1/items/
    public func readItems(_ input: Operations.readItems.Input, context: OperationContext) async throws -> Operations.readItems.Output {
        throw HTTPError(.notImplemented, detail: "readItems is not implemented yet")
    }

    /// POST /api/v1/items/
    public func createItem(_ input: Operations.createItem.Input, context: OperationContext) async throws -> Operations.createItem.Output {
        throw HTTPError(.notImplemented, detail: "createItem is not implemented yet")
    }
}
