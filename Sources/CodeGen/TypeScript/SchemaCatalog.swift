import OpenAPI

/// Every schema object the document reaches, each once, in the order a walk from `paths`,
/// `webhooks` and then `components` meets it, following `$ref`s into other files.
///
/// openapi-typescript scans the whole document for discriminators before writing anything;
/// this is that scan's input. It also finds schemas by source location, which is how the API
/// model's hoisted types (which keep only their location) are matched to their schema.
struct SchemaCatalog {
    private(set) var schemas: [Schema] = []
    private var seen: Set<ObjectIdentifier> = []
    private var byLocation: [SourceLocation: Schema] = [:]
    private let wanted: Set<SourceLocation>
    private let references: ReferenceTable

    /// Walks `spec`; `locations` are the source locations whose schema `schema(at:)` must find.
    init(spec: LoadedSpec, locations: Set<SourceLocation>) {
        references = spec.references
        wanted = locations
        guard let document = spec.document else { return }
        for (_, item) in document.paths { visit(item) }
        for (_, item) in document.webhooks { visit(item) }
        let components = document.components
        for (_, schema) in components.schemas { visit(schema) }
        for (_, response) in components.responses { visit(response) }
        for (_, parameter) in components.parameters { visit(parameter) }
        for (_, body) in components.requestBodies { visit(body) }
        for (_, header) in components.headers { visit(header) }
        for (_, item) in components.pathItems { visit(item) }
    }

    func schema(at location: SourceLocation) -> Schema? { byLocation[location] }

    /// The schemas found at the wanted locations.
    var wantedSchemas: [SourceLocation: Schema] { byLocation }

    private mutating func visit(_ item: Referenceable<PathItem>) {
        guard let item = references.resolve(item) else { return }
        for parameter in item.parameters { visit(parameter) }
        for (_, operation) in item.operations {
            for parameter in operation.parameters { visit(parameter) }
            if let body = operation.requestBody { visit(body) }
            for (_, response) in operation.responses { visit(response) }
        }
    }

    private mutating func visit(_ parameter: Referenceable<Parameter>) {
        guard let parameter = references.resolve(parameter) else { return }
        if let schema = parameter.schema { visit(schema) }
        for (_, media) in parameter.content { visit(media) }
    }

    private mutating func visit(_ body: Referenceable<RequestBody>) {
        guard let body = references.resolve(body) else { return }
        for (_, media) in body.content { visit(media) }
    }

    private mutating func visit(_ response: Referenceable<Response>) {
        guard let response = references.resolve(response) else { return }
        for (_, header) in response.headers { visit(header) }
        for (_, media) in response.content { visit(media) }
    }

    private mutating func visit(_ header: Referenceable<Header>) {
        guard let header = references.resolve(header) else { return }
        if let schema = header.schema { visit(schema) }
        for (_, media) in header.content { visit(media) }
    }

    private mutating func visit(_ media: MediaType) {
        if let schema = media.schema { visit(schema) }
    }

    /// Depth first, children in document order, with an explicit stack: chains of `$ref`s
    /// across a large document run thousands deep.
    private mutating func visit(_ root: Schema) {
        var stack = [root]
        var children: [Schema] = []
        while let schema = stack.popLast() {
            guard seen.insert(ObjectIdentifier(schema)).inserted else { continue }
            schemas.append(schema)
            if wanted.contains(schema.location) { byLocation[schema.location] = schema }
            children.removeAll(keepingCapacity: true)
            if let ref = schema.ref, let target = references.schemas[ref.key] { children.append(target) }
            for (_, property) in schema.properties { children.append(property) }
            if let items = schema.items { children.append(items) }
            children.append(contentsOf: schema.prefixItems ?? [])
            if case .schema(let values)? = schema.additionalProperties { children.append(values) }
            for (_, values) in schema.patternProperties { children.append(values) }
            children.append(contentsOf: schema.allOf ?? [])
            children.append(contentsOf: schema.oneOf ?? [])
            children.append(contentsOf: schema.anyOf ?? [])
            if let not = schema.not { children.append(not) }
            for (_, definition) in schema.defs { children.append(definition) }
            stack.append(contentsOf: children.reversed())
        }
    }
}
