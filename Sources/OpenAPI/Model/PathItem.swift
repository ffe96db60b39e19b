public enum HTTPMethod: String, Sendable, CaseIterable, Comparable {
    case get, put, post, delete, options, head, patch, trace
    /// OpenAPI 3.2's QUERY method.
    case query

    public static func < (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public struct PathItem: Sendable {
    public var summary: String?
    public var description: String?
    /// In the order the document lists them.
    public var operations: [(method: HTTPMethod, operation: Operation)] = []
    /// 3.2's `additionalOperations`: methods outside the fixed set, by their HTTP name.
    public var additionalOperations = OrderedMap<Operation>()
    public var servers: [Server] = []
    public var parameters: [Referenceable<Parameter>] = []
    public var extensions = Extensions()
    public var location: SourceLocation

    public func operation(_ method: HTTPMethod) -> Operation? {
        operations.first { $0.method == method }?.operation
    }
}

public struct Operation: Sendable {
    public var tags: [String] = []
    public var summary: String?
    public var description: String?
    public var externalDocs: ExternalDocumentation?
    public var operationId: String?
    public var parameters: [Referenceable<Parameter>] = []
    public var requestBody: Referenceable<RequestBody>?
    public var responses = OrderedMap<Referenceable<Response>>()
    public var callbacks = OrderedMap<Referenceable<Callback>>()
    public var deprecated = false
    /// `nil` inherits the document's requirement; `[]` turns security off.
    public var security: [SecurityRequirement]?
    public var servers: [Server] = []
    public var extensions = Extensions()
    public var location: SourceLocation
}

/// Runtime expression → the path item called back.
public struct Callback: Sendable {
    public var expressions = OrderedMap<Referenceable<PathItem>>()
}
