import OpenAPI

/// The JSON pointer of every schema the entry document spells out, so every named type of the
/// model has an identity (`#/components/schemas/Item/properties/tags/items`), not just a source
/// location. Components are walked first, so a schema inside one is named by its place there;
/// `$ref` targets are not entered (their identity is the reference key).
struct SchemaPointers {
    private var pointers: [ObjectIdentifier: String] = [:]
    private let references: ReferenceTable

    /// `walking`: false gives no pointers at all, for a model that needs none.
    init(spec: LoadedSpec, walking: Bool = true) {
        references = spec.references
        guard walking, let document = spec.document else { return }
        let components = document.components
        for (name, schema) in components.schemas { visit(schema, "#/components/schemas/" + JSONPointer.escape(name)) }
        for (name, parameter) in components.parameters {
            visit(parameter, "#/components/parameters/" + JSONPointer.escape(name))
        }
        for (name, body) in components.requestBodies {
            visit(body, "#/components/requestBodies/" + JSONPointer.escape(name))
        }
        for (name, response) in components.responses {
            visit(response, "#/components/responses/" + JSONPointer.escape(name))
        }
        for (name, header) in components.headers { visit(header, "#/components/headers/" + JSONPointer.escape(name)) }
        for (path, item) in document.paths { visit(item, "#/paths/" + JSONPointer.escape(path)) }
        for (name, item) in document.webhooks { visit(item, "#/webhooks/" + JSONPointer.escape(name)) }
    }

    func pointer(for schema: Schema) -> String? { pointers[ObjectIdentifier(schema)] }

    private mutating func visit(_ item: Referenceable<PathItem>, _ pointer: String) {
        guard case .value(let item) = item else { return }
        for (offset, parameter) in item.parameters.enumerated() { visit(parameter, pointer + "/parameters/\(offset)") }
        for (method, operation) in item.operations {
            let base = pointer + "/" + method.rawValue
            for (offset, parameter) in operation.parameters.enumerated() { visit(parameter, base + "/parameters/\(offset)") }
            if let body = operation.requestBody { visit(body, base + "/requestBody") }
            for (status, response) in operation.responses { visit(response, base + "/responses/" + JSONPointer.escape(status)) }
        }
    }

    private mutating func visit(_ parameter: Referenceable<Parameter>, _ pointer: String) {
        guard case .value(let parameter) = parameter else { return }
        if let schema = parameter.schema { visit(schema, pointer + "/schema") }
        visit(parameter.content, pointer)
    }

    private mutating func visit(_ body: Referenceable<RequestBody>, _ pointer: String) {
        guard case .value(let body) = body else { return }
        visit(body.content, pointer)
    }

    private mutating func visit(_ response: Referenceable<Response>, _ pointer: String) {
        guard case .value(let response) = response else { return }
        for (name, header) in response.headers { visit(header, pointer + "/headers/" + JSONPointer.escape(name)) }
        visit(response.content, pointer)
    }

    private mutating func visit(_ header: Referenceable<Header>, _ pointer: String) {
        guard case .value(let header) = header else { return }
        if let schema = header.schema { visit(schema, pointer + "/schema") }
        visit(header.content, pointer)
    }

    private mutating func visit(_ content: OrderedMap<MediaType>, _ pointer: String) {
        for (type, media) in content {
            if let schema = media.schema { visit(schema, pointer + "/content/" + JSONPointer.escape(type) + "/schema") }
        }
    }

    /// Depth first with an explicit stack: schemas nest thousands deep in large documents.
    private mutating func visit(_ root: Schema, _ rootPointer: String) {
        var stack = [(root, rootPointer)]
        while let (schema, pointer) = stack.popLast() {
            guard pointers[ObjectIdentifier(schema)] == nil else { continue }
            pointers[ObjectIdentifier(schema)] = pointer
            var children: [(Schema, String)] = []
            for (key, property) in schema.properties { children.append((property, pointer + "/properties/" + JSONPointer.escape(key))) }
            if let items = schema.items { children.append((items, pointer + "/items")) }
            if case .schema(let values)? = schema.additionalProperties { children.append((values, pointer + "/additionalProperties")) }
            for (keyword, members) in [("allOf", schema.allOf), ("oneOf", schema.oneOf), ("anyOf", schema.anyOf)] {
                for (offset, member) in (members ?? []).enumerated() { children.append((member, pointer + "/\(keyword)/\(offset)")) }
            }
            stack.append(contentsOf: children.reversed())
        }
    }
}
