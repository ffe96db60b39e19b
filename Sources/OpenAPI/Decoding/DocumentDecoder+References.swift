extension DocumentDecoder {
    /// The `$ref` node of a mapping, if it has one.
    func referenceNode(_ id: NodeID) -> NodeID? {
        guard kind(id) == .mapping else { return nil }
        let tree = views[Int(id.file)]
        for pair in tree.pairs(id.node) where tree.scalar(pair.key, equals: "$ref") {
            return NodeID(file: id.file, node: pair.value)
        }
        return nil
    }

    /// Makes a `$ref`'s text absolute and queues its target to be checked and decoded.
    func reference(_ id: NodeID, as kind: ReferenceKind) -> Reference? {
        guard let raw = string(id, "$ref") else { return nil }
        guard let reference = makeReference(raw, at: id) else { return nil }
        pendingReferences.append((reference, kind))
        return reference
    }

    func makeReference(_ raw: String, at id: NodeID) -> Reference? {
        let here = file(of: id)
        let hash = raw.firstIndex(of: "#")
        let filePart = hash.map { String(raw[..<$0]) } ?? raw
        let fragment = hash.map { String(raw[raw.index(after: $0)...]) } ?? ""
        if filePart.contains("://") {
            error("'\(raw)' is a remote reference; only local and relative-file references are supported", at: id)
            return nil
        }
        guard let pointer = fragment.percentDecoded() else {
            error("'\(raw)' has an invalid percent escape", at: id)
            return nil
        }
        guard pointer.isEmpty || pointer.hasPrefix("/") else {
            error("'\(raw)' must point with a JSON pointer such as '#/components/schemas/Name'", at: id)
            return nil
        }
        let target = filePart.isEmpty ? here : SourceFiles.resolve(filePart.percentDecoded() ?? filePart, from: here)
        return Reference(raw: raw, file: target, pointer: pointer, location: location(id))
    }

    /// An object given inline or by `$ref`. 3.1 allows `summary` and `description` beside a
    /// `$ref` to override the target's; they are accepted and the target's kept.
    func referenceable<T>(
        _ id: NodeID, as kind: ReferenceKind, _ decode: (NodeID) -> T?
    ) -> Referenceable<T>? {
        if let refNode = referenceNode(id) {
            return reference(refNode, as: kind).map { .reference($0) }
        }
        return decode(id).map { .value($0) }
    }

    // MARK: Following references

    /// Loads the file a reference names, once.
    func fileID(for path: String, at location: SourceLocation) -> Int32? {
        if let existing = fileIndex[path] { return existing }
        switch fileSystem.read(path) {
        case .success(let bytes):
            let (tree, log) = NodeTree.parse(bytes, file: path, limits: limits)
            diagnostics.append(contentsOf: log)
            let id = Int32(files.count)
            files.append(tree)
            fileIndex[path] = id
            if tree.root == nil, !log.hasErrors {
                diagnostics.error("'\(path)' is empty", at: SourceLocation(file: path, line: 1, column: 1))
            }
            return id
        case .failure(let failure):
            let reason =
                switch failure {
                case .notFound: "no such file"
                case .unreadable(let why): why
                case .tooLarge(let limit): "it is larger than \(limit) bytes"
                }
            diagnostics.error("cannot read '\(path)': \(reason)", at: location)
            fileIndex[path] = -1
            return nil
        }
    }

    /// The node a reference points at, or a diagnostic at the `$ref` saying why there is none.
    func target(of reference: Reference) -> NodeID? {
        if let known = targets[reference.key] { return known }
        guard let found = walk(reference) else { return nil }
        targets[reference.key] = found
        return found
    }

    private func walk(_ reference: Reference) -> NodeID? {
        guard let file = fileID(for: reference.file, at: reference.location), file >= 0,
            let root = files[Int(file)].root
        else { return nil }
        var current = NodeID(file: file, node: root)
        guard !reference.pointer.isEmpty else { return current }
        let tree = views[Int(file)]
        let pointer = reference.pointer.dropFirst()
        for rawSegment in pointer.split(separator: "/", omittingEmptySubsequences: false) {
            let segment = String(rawSegment).replacingEscapes()
            switch tree.kind(current.node) {
            case .mapping:
                guard let next = tree.value(current.node, forKey: segment) else {
                    let walked = pointer[..<rawSegment.startIndex].dropLast()
                    diagnostics.error(
                        "'\(reference.raw)' does not resolve: '\(segment)' is not in '#\(walked.isEmpty ? "" : "/")\(walked)'"
                            + (reference.file == reference.location.file ? "" : " of \(reference.file)"),
                        at: reference.location)
                    return nil
                }
                current.node = next
            case .sequence:
                let items = tree.items(current.node)
                guard let index = Int(segment), index >= 0, index < items.count else {
                    diagnostics.error("'\(reference.raw)' does not resolve: no item \(segment)", at: reference.location)
                    return nil
                }
                current.node = items[items.startIndex + index]
            case .scalar:
                diagnostics.error("'\(reference.raw)' does not resolve: it goes through a scalar", at: reference.location)
                return nil
            }
        }
        return current
    }

    /// Decodes the target of every queued reference, which may queue more.
    func resolvePending() {
        struct Seen: Hashable {
            var kind: ReferenceKind
            var key: String
        }
        var seen = Set<Seen>()
        while let (reference, kind) = pendingReferences.popLast() {
            guard seen.insert(Seen(kind: kind, key: reference.key)).inserted else { continue }
            guard let node = target(of: reference) else { continue }
            decodeTarget(node, as: kind, key: reference.key)
        }
    }

    private func decodeTarget(_ node: NodeID, as kind: ReferenceKind, key: String) {
        switch kind {
        case .schema: table.schemas[key] = schema(node)
        case .response: table.responses[key] = referenceable(node, as: .response, response)
        case .parameter: table.parameters[key] = referenceable(node, as: .parameter, parameter)
        case .example: table.examples[key] = referenceable(node, as: .example, example)
        case .requestBody: table.requestBodies[key] = referenceable(node, as: .requestBody, requestBody)
        case .header: table.headers[key] = referenceable(node, as: .header, header)
        case .securityScheme: table.securitySchemes[key] = referenceable(node, as: .securityScheme, securityScheme)
        case .link: table.links[key] = referenceable(node, as: .link, link)
        case .callback: table.callbacks[key] = referenceable(node, as: .callback, callback)
        case .pathItem: table.pathItems[key] = referenceable(node, as: .pathItem, pathItem)
        }
    }
}
