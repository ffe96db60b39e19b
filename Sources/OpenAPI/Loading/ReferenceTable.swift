/// The decoded targets of every `$ref` in a document and the files it pulls in, by
/// `Reference.key`. Targets that are themselves references stay references here;
/// `resolve` follows the chain.
public struct ReferenceTable: Sendable {
    public internal(set) var schemas: [String: Schema] = [:]
    public internal(set) var responses: [String: Referenceable<Response>] = [:]
    public internal(set) var parameters: [String: Referenceable<Parameter>] = [:]
    public internal(set) var examples: [String: Referenceable<Example>] = [:]
    public internal(set) var requestBodies: [String: Referenceable<RequestBody>] = [:]
    public internal(set) var headers: [String: Referenceable<Header>] = [:]
    public internal(set) var securitySchemes: [String: Referenceable<SecurityScheme>] = [:]
    public internal(set) var links: [String: Referenceable<Link>] = [:]
    public internal(set) var callbacks: [String: Referenceable<Callback>] = [:]
    public internal(set) var pathItems: [String: Referenceable<PathItem>] = [:]

    /// A chain longer than this is a loop the loader already reported.
    static let maxChain = 64

    public func resolve(_ item: Referenceable<Response>) -> Response? { follow(item, in: responses) }
    public func resolve(_ item: Referenceable<Parameter>) -> Parameter? { follow(item, in: parameters) }
    public func resolve(_ item: Referenceable<Example>) -> Example? { follow(item, in: examples) }
    public func resolve(_ item: Referenceable<RequestBody>) -> RequestBody? { follow(item, in: requestBodies) }
    public func resolve(_ item: Referenceable<Header>) -> Header? { follow(item, in: headers) }
    public func resolve(_ item: Referenceable<SecurityScheme>) -> SecurityScheme? { follow(item, in: securitySchemes) }
    public func resolve(_ item: Referenceable<Link>) -> Link? { follow(item, in: links) }
    public func resolve(_ item: Referenceable<Callback>) -> Callback? { follow(item, in: callbacks) }
    public func resolve(_ item: Referenceable<PathItem>) -> PathItem? { follow(item, in: pathItems) }

    /// The schema a reference names, following pure `$ref` chains to the first schema with content.
    public func schema(_ reference: Reference) -> Schema? {
        var current = schemas[reference.key]
        var steps = 0
        while let schema = current, schema.isPureReference, let next = schema.ref, steps < Self.maxChain {
            current = schemas[next.key]
            steps += 1
        }
        return current
    }

    /// Follows `schema` through pure references to the schema that says something.
    public func resolve(_ schema: Schema) -> Schema {
        guard schema.isPureReference, let ref = schema.ref else { return schema }
        return self.schema(ref) ?? schema
    }

    private func follow<T>(_ item: Referenceable<T>, in store: [String: Referenceable<T>]) -> T? {
        var current = item
        for _ in 0..<Self.maxChain {
            switch current {
            case .value(let value): return value
            case .reference(let reference):
                guard let next = store[reference.key] else { return nil }
                current = next
            }
        }
        return nil
    }
}
