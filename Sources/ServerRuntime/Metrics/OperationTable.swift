public import HTTPTypes
public import Hummingbird

/// Which operation id answers a route, read from the OpenAPI document the generator bundles
/// (`Generated/openapi.json`). The generated routes register paths, not ids; the document holds
/// both, so the metrics get the spec's ids without the generator having to pass them.
public struct OperationTable: Sendable {
    /// Operation id by `"METHOD /route"`, the route written as Hummingbird writes a matched
    /// route (`RouterPath.description`: no trailing slash, captures as `{name}`).
    let ids: [String: String]

    public init(_ entries: [(method: HTTPRequest.Method, path: String, operationID: String)] = []) {
        var ids: [String: String] = [:]
        for entry in entries {
            ids[Self.key(method: entry.method, route: RouterPath(entry.path).description)] = entry.operationID
        }
        self.ids = ids
    }

    /// The operations of an OpenAPI document's `paths`; a document that does not parse is an
    /// error, an operation without `operationId` is left out.
    public init(openAPIDocument bytes: [UInt8]) throws {
        let document = try JSONParser.parse(bytes)
        var entries: [(method: HTTPRequest.Method, path: String, operationID: String)] = []
        for path in document["paths"]?.objectValue?.members ?? [] {
            for operation in path.value.objectValue?.members ?? [] {
                guard Self.methods.contains(operation.key), let id = operation.value["operationId"]?.stringValue,
                    let method = HTTPRequest.Method(operation.key.uppercased())
                else { continue }
                entries.append((method, path.key, id))
            }
        }
        self.init(entries)
    }

    /// The operation id of `route` (a matched route's `endpointPath`) for `method`.
    public func operationID(method: HTTPRequest.Method, route: String) -> String? {
        ids[Self.key(method: method, route: route)]
    }

    /// Every operation id, each once.
    public var operationIDs: Set<String> { Set(ids.values) }

    public var isEmpty: Bool { ids.isEmpty }

    static func key(method: HTTPRequest.Method, route: String) -> String {
        method.rawValue + " " + route
    }

    // Keys of a path item that are operations (the others are `parameters`, `summary`, ...).
    private static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"]
}
