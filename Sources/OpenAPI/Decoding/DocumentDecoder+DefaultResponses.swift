extension DocumentDecoder {
    /// `x-default-responses`: responses every operation gets unless it declares that code itself,
    /// so a spec states its shared errors (400, 401, 422, 429, 503, …) once. At the document's
    /// root they apply to every operation of `paths` (not webhooks or callbacks, which describe
    /// requests this API sends, nor path items given by `$ref`, which are warned about); on a tag of the root's `tags`, to that tag's
    /// operations, overriding the root's for the same code; an operation opts out with
    /// `x-default-responses: false`. They are added here, while decoding, so every emitter and
    /// `lint` sees each operation with its full list (the bundle writes them out per operation).
    func applyDefaultResponses(to document: inout OpenAPIDocument, root: NodeID) {
        let rootDefaults = defaultResponses(of: root) ?? OrderedMap()
        var tagDefaults: [String: OrderedMap<Referenceable<Response>>] = [:]
        if let tags = tree(root).value(root.node, forKey: "tags"), tree(root).kind(tags) == .sequence {
            for item in tree(root).items(tags) {
                let tag = NodeID(file: root.file, node: item)
                guard kind(tag) == .mapping, let nameNode = tree(tag).value(item, forKey: "name"),
                    let defaults = defaultResponses(of: tag)
                else { continue }
                tagDefaults[tree(tag).string(nameNode)] = defaults
            }
        }
        guard !rootDefaults.isEmpty || !tagDefaults.isEmpty else { return }
        for (path, item) in document.paths {
            guard case .value(var pathItem) = item else {
                // Its operations are decoded where the reference leads, shared by whatever refers
                // there; adding this document's defaults to them is not this path's to do.
                if case .reference(let reference) = item {
                    diagnostics.warning(
                        "x-default-responses is not added to the operations of path '\(path)', which is a $ref; "
                            + "declare the responses in the referenced path item",
                        at: reference.location)
                }
                continue
            }
            for index in pathItem.operations.indices {
                var operation = pathItem.operations[index].operation
                switch operation.extensions["x-default-responses"] {
                case .bool(false)?: continue
                case nil: break
                case let other?:
                    diagnostics.warning(
                        "x-default-responses on an operation can only be false (to opt out), not \(other.jsonText); ignored",
                        at: operation.location)
                }
                var defaults = rootDefaults
                for tag in operation.tags {
                    for (code, response) in tagDefaults[tag] ?? OrderedMap() { defaults[code] = response }
                }
                for (code, response) in defaults where operation.responses[code] == nil {
                    operation.responses[code] = response
                }
                pathItem.operations[index].operation = operation
            }
            document.paths[path] = .value(pathItem)
        }
    }

    /// The `x-default-responses` mapping of `owner` (the root or a tag), decoded as `responses`.
    private func defaultResponses(of owner: NodeID) -> OrderedMap<Referenceable<Response>>? {
        guard let node = tree(owner).value(owner.node, forKey: "x-default-responses") else { return nil }
        let id = NodeID(file: owner.file, node: node)
        guard kind(id) == .mapping else {
            error("x-default-responses must map response codes to responses (or $refs to them)", at: id)
            return nil
        }
        return responses(id)
    }
}
