/// Walks the entry document once, writing it as JSON, and writes every component its
/// references into other files pull in. See `Bundler` for the rules.
final class BundleEmitter {
    /// A step of the output path, kept so that a reference looping through inlined content
    /// can point at the copy already being written.
    private enum PathSegment {
        case key(NodeID)
        case index(Int)
        case name(String)
    }

    /// One member of the output's `components`: a section the bundler fills, or another key
    /// of the entry's `components` copied as it stands.
    private struct ComponentsMember {
        var key: String
        var section: ComponentSection?
        /// A key of the entry's own `components`, as opposed to a section the bundle adds.
        var fromEntry = true
        var text = JSONTextBuffer()
        var entryCount = 0
    }

    /// The resolver's trees, read without reference counting; grows when it reads a file.
    private var views: [NodeView]
    private var resolver: ReferenceResolver
    private var registry = ComponentRegistry()
    private var output: JSONTextBuffer
    private let pathItemsAllowed: Bool
    private var path: [PathSegment] = []
    /// Targets being inlined, with the length of `path` where their copy starts.
    private var inlining: [NodeID: Int] = [:]
    /// The output's `components`, one member per key.
    private var members: [ComponentsMember] = []
    /// Entry components that are a bare `$ref` into another file, with the target written in their place.
    private var adopted: [NodeID: NodeID] = [:]

    /// Entry schemas left out of the output.
    private let omittedSchemas: Set<String>
    /// `x-default-responses`, written into every operation that does not declare the code.
    private let defaultResponses: DefaultResponses

    init(trees: [NodeTree], files: SourceFiles, omittingSchemas: Set<String> = []) {
        omittedSchemas = omittingSchemas
        defaultResponses = DefaultResponses(entry: trees.first)
        views = trees.map(\.view)
        resolver = ReferenceResolver(trees: trees, files: files)
        // Escapes and indentation add to the source text; this covers most documents in one allocation.
        let sourceBytes = trees.reduce(0) { $0 + $1.view.text.count + $1.nodeCount * 12 }
        output = JSONTextBuffer(capacity: sourceBytes + sourceBytes / 2)
        var allowed = true
        if let tree = trees.first, let root = tree.root, tree.kind(root) == .mapping,
            let version = tree.value(root, forKey: "openapi"), tree.string(version).hasPrefix("3.0")
        {
            allowed = false
        }
        pathItemsAllowed = allowed
    }

    func run() -> String {
        guard let entry = resolver.trees.first, let root = entry.root else { return "{}\n" }
        let rootID = NodeID(file: 0, node: root)
        guard entry.kind(root) == .mapping else {
            emitValue(rootID, .object(.document), depth: 0)
            output.append(UInt8(ascii: "\n"))
            return String(decoding: output.bytes, as: UTF8.self)
        }
        let entryComponents = views[0].value(root, forKey: "components").map { NodeID(file: 0, node: $0) }
        if let entryComponents { prepareComponents(entryComponents) }
        let (gap, isEmpty) = emitDocument(rootID)
        if let entryComponents { emitEntryComponents(entryComponents) }
        emitAddedComponents()
        return assemble(gap: gap, documentIsEmpty: isEmpty, entryComponents: entryComponents)
    }

    // MARK: Document and components

    /// The entry document without its `components`, leaving a gap where they go: sections
    /// fill as references are found anywhere, including after `components` in source order.
    private func emitDocument(_ root: NodeID) -> (gap: Int?, isEmpty: Bool) {
        let view = views[0]
        output.append(UInt8(ascii: "{"))
        var first = true
        var gap: Int?
        for pair in view.pairs(root.node) {
            if gap == nil, view.scalar(pair.key, equals: "components") {
                writeKey(NodeID(file: 0, node: pair.key), first: &first, depth: 1)
                gap = output.count
                continue
            }
            emitMember(
                key: NodeID(file: 0, node: pair.key), value: NodeID(file: 0, node: pair.value), in: .object(.document),
                depth: 1, first: &first)
        }
        return (gap, first)
    }

    /// One member per key of the entry's `components`, their names reserved so added
    /// components never take them. An entry component that is only a `$ref` into another
    /// file (`Pet: {$ref: schemas/Pet.yaml}`, the usual way to split a document) takes its
    /// target's content, and other references to that target name it.
    private func prepareComponents(_ components: NodeID) {
        let view = views[0]
        guard view.kind(components.node) == .mapping else { return }
        for pair in view.pairs(components.node) {
            var section = ComponentSection(rawValue: view.string(pair.key))
            if view.kind(pair.value) != .mapping { section = nil }
            members.append(ComponentsMember(key: view.string(pair.key), section: section))
            guard let section else { continue }
            for entry in view.pairs(pair.value) { registry.reserve(view.string(entry.key), in: section) }
            guard section != .pathItems || pathItemsAllowed else { continue }
            for entry in view.pairs(pair.value) {
                let value = NodeID(file: 0, node: entry.value)
                guard view.kind(entry.value) == .mapping, view.count(entry.value) == 1,
                    let reference = referenceValue(of: value),
                    let target = resolve(view.string(reference.node), from: 0), target.node.file != 0,
                    registry.adopt(target.node, as: view.string(entry.key), in: section)
                else { continue }
                adopted[value] = target.node
            }
        }
    }

    /// The entry's own components, written into their members in source order.
    private func emitEntryComponents(_ components: NodeID) {
        let view = views[0]
        guard view.kind(components.node) == .mapping else { return }
        for (index, pair) in view.pairs(components.node).enumerated() {
            let key = NodeID(file: 0, node: pair.key)
            swap(&output, &members[index].text)
            path = [.name("components"), .key(key)]
            if let section = members[index].section {
                for entry in view.pairs(pair.value)
                where section != .schemas || omittedSchemas.isEmpty || !omittedSchemas.contains(view.string(entry.key)) {
                    var first = members[index].entryCount == 0
                    let entryKey = NodeID(file: 0, node: entry.key)
                    let value = NodeID(file: 0, node: entry.value)
                    writeKey(entryKey, first: &first, depth: 3)
                    path.append(.key(entryKey))
                    emitValue(adopted[value] ?? value, .object(section.object), depth: 3)
                    path.removeLast()
                    members[index].entryCount += 1
                }
            } else {
                let position = BundlePosition.object(.components).child(
                    members[index].key, valueIsSequence: view.kind(pair.value) == .sequence)
                emitValue(NodeID(file: 0, node: pair.value), position, depth: 2)
            }
            swap(&output, &members[index].text)
        }
        path = []
    }

    /// Everything referenced from other files, which may reference more.
    private func emitAddedComponents() {
        while let component = registry.next() {
            let index: Int
            if let existing = members.firstIndex(where: { $0.section == component.section }) {
                index = existing
            } else {
                members.append(
                    ComponentsMember(key: component.section.rawValue, section: component.section, fromEntry: false))
                index = members.count - 1
            }
            swap(&output, &members[index].text)
            if members[index].entryCount > 0 { output.append(UInt8(ascii: ",")) }
            output.newline(depth: 3)
            output.appendQuoted(component.name)
            output.append(": ")
            path = [.name("components"), .name(component.section.rawValue), .name(component.name)]
            emitValue(component.target, .object(component.section.object), depth: 3)
            members[index].entryCount += 1
            swap(&output, &members[index].text)
        }
        path = []
    }

    /// The document with `components` in its gap, or added as its last member.
    private func assemble(gap: Int?, documentIsEmpty: Bool, entryComponents: NodeID?) -> String {
        var components = JSONTextBuffer()
        if let entryComponents, views[0].kind(entryComponents.node) != .mapping {
            // `components` that is not a mapping is kept as written; the loader reported it.
            swap(&output, &components)
            emitValue(entryComponents, .other, depth: 1)
            swap(&output, &components)
        } else {
            components = componentsText()
        }
        var result: [UInt8] = []
        result.reserveCapacity(output.count + components.count + 32)
        var isEmpty = documentIsEmpty
        if let gap {
            result.append(contentsOf: output.bytes[..<gap])
            result.append(contentsOf: components.bytes)
            result.append(contentsOf: output.bytes[gap...])
        } else {
            result.append(contentsOf: output.bytes)
            if !members.isEmpty {
                result.append(contentsOf: (isEmpty ? "\n  \"components\": " : ",\n  \"components\": ").utf8)
                result.append(contentsOf: components.bytes)
                isEmpty = false
            }
        }
        output = JSONTextBuffer()
        result.append(contentsOf: (isEmpty ? "}\n" : "\n}\n").utf8)
        return String(decoding: result, as: UTF8.self)
    }

    /// `components` at depth 1: the entry's keys in source order, then the sections it did
    /// not have in the standard order.
    private func componentsText() -> JSONTextBuffer {
        let ownCount = members.firstIndex { !$0.fromEntry } ?? members.count
        let order = ComponentSection.allCases
        let added = members[ownCount...].sorted { order.firstIndex(of: $0.section!)! < order.firstIndex(of: $1.section!)! }
        let ordered = Array(members[..<ownCount]) + added
        var components = JSONTextBuffer(capacity: ordered.reduce(64) { $0 + $1.text.count + 32 })
        guard !ordered.isEmpty else {
            components.append("{}")
            return components
        }
        components.append(UInt8(ascii: "{"))
        for (offset, member) in ordered.enumerated() {
            if offset > 0 { components.append(UInt8(ascii: ",")) }
            components.newline(depth: 2)
            components.appendQuoted(member.key)
            components.append(": ")
            if member.section == nil {
                components.append(contentsOf: member.text.bytes)
            } else if member.entryCount == 0 {
                components.append("{}")
            } else {
                components.append(UInt8(ascii: "{"))
                components.append(contentsOf: member.text.bytes)
                components.newline(depth: 2)
                components.append(UInt8(ascii: "}"))
            }
        }
        components.newline(depth: 1)
        components.append(UInt8(ascii: "}"))
        return components
    }

    // MARK: Values

    private func emitValue(_ id: NodeID, _ position: BundlePosition, depth: Int) {
        let view = views[Int(id.file)]
        switch view.kind(id.node) {
        case .scalar:
            if position == .schemaName {
                emitSchemaName(id)
            } else {
                output.appendScalar(view.bytes(id.node), quoted: view.isQuoted(id.node))
            }
        case .sequence:
            let items = view.items(id.node)
            guard !items.isEmpty else { return output.append("[]") }
            output.append(UInt8(ascii: "["))
            let itemPosition = position.item
            for (offset, item) in items.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                output.newline(depth: depth + 1)
                path.append(.index(offset))
                emitValue(NodeID(file: id.file, node: item), itemPosition, depth: depth + 1)
                path.removeLast()
            }
            output.newline(depth: depth)
            output.append(UInt8(ascii: "]"))
        case .mapping:
            if position.followsReferences, let reference = referenceValue(of: id) {
                emitReference(id, reference, position, depth: depth)
            } else {
                emitMapping(id, position, depth: depth)
            }
        }
    }

    /// The scalar under a mapping's `$ref` key; a `$ref` holding anything else is no reference.
    private func referenceValue(of id: NodeID) -> NodeID? {
        let view = views[Int(id.file)]
        for pair in view.pairs(id.node) where view.scalar(pair.key, equals: "$ref") {
            return view.kind(pair.value) == .scalar ? NodeID(file: id.file, node: pair.value) : nil
        }
        return nil
    }

    /// A mapping in source order; `replacingReference` stands in for the value of its `$ref`.
    /// `appending` adds members after the mapping's own (the default responses of an operation).
    private func emitMapping(
        _ id: NodeID, _ position: BundlePosition, depth: Int, replacingReference: String? = nil,
        appending: [DefaultResponses.Entry] = []
    ) {
        let view = views[Int(id.file)]
        guard view.count(id.node) > 0 || !appending.isEmpty else { return output.append("{}") }
        let defaults =
            position == .object(.operation) && !defaultResponses.isEmpty && isUnderEntryPaths
            ? defaultResponses.missing(in: id, views: views, entry: views[0]) : []
        output.append(UInt8(ascii: "{"))
        var first = true
        var sawResponses = false
        for pair in view.pairs(id.node) {
            let key = NodeID(file: id.file, node: pair.key)
            if let replacingReference, view.scalar(pair.key, equals: "$ref") {
                writeKey(key, first: &first, depth: depth + 1)
                output.appendQuoted(replacingReference)
                continue
            }
            let value = NodeID(file: id.file, node: pair.value)
            if !defaults.isEmpty, view.scalar(pair.key, equals: "responses"), view.kind(pair.value) == .mapping {
                sawResponses = true
                writeKey(key, first: &first, depth: depth + 1)
                path.append(.key(key))
                emitMapping(value, .map(.response), depth: depth + 1, appending: defaults)
                path.removeLast()
                continue
            }
            emitMember(key: key, value: value, in: position, depth: depth + 1, first: &first)
        }
        for entry in appending {
            emitMember(key: entry.key, value: entry.value, in: position, depth: depth + 1, first: &first)
        }
        if !defaults.isEmpty, !sawResponses {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.newline(depth: depth + 1)
            output.appendQuoted("responses")
            output.append(UInt8(ascii: ":"))
            output.append(UInt8(ascii: " "))
            output.append(UInt8(ascii: "{"))
            var firstResponse = true
            for entry in defaults {
                emitMember(key: entry.key, value: entry.value, in: .map(.response), depth: depth + 2, first: &firstResponse)
            }
            output.newline(depth: depth + 1)
            output.append(UInt8(ascii: "}"))
        }
        output.newline(depth: depth)
        output.append(UInt8(ascii: "}"))
    }

    /// True inside the entry's `paths` (where the decoder adds default responses), not in
    /// `webhooks`, `callbacks` or components: the bundle must list what the model has.
    private var isUnderEntryPaths: Bool {
        guard path.count >= 3, case .key(let root) = path[0], root.file == 0, views[0].string(root.node) == "paths"
        else { return false }
        // paths / <path> / <method>: an operation of a path item written in place.
        return path.count == 3
    }

    private func writeKey(_ key: NodeID, first: inout Bool, depth: Int) {
        if !first { output.append(UInt8(ascii: ",")) }
        first = false
        output.newline(depth: depth)
        output.appendQuoted(views[Int(key.file)].bytes(key.node))
        output.append(UInt8(ascii: ":"))
        output.append(UInt8(ascii: " "))
    }

    /// `"key": value`, the value placed by what the key means where the mapping stands.
    private func emitMember(key: NodeID, value: NodeID, in position: BundlePosition, depth: Int, first: inout Bool) {
        writeKey(key, first: &first, depth: depth)
        let childPosition: BundlePosition
        switch position {
        case .other, .literal, .schemaName:
            // Positions whose children do not depend on the key: no String is made.
            childPosition = position.child("", valueIsSequence: false)
        default:
            let valueView = views[Int(value.file)]
            childPosition = position.child(
                views[Int(key.file)].string(key.node), valueIsSequence: valueView.kind(value.node) == .sequence)
        }
        path.append(.key(key))
        emitValue(value, childPosition, depth: depth)
        path.removeLast()
    }

    // MARK: References

    private func emitReference(_ id: NodeID, _ reference: NodeID, _ position: BundlePosition, depth: Int) {
        let raw = views[Int(reference.file)].string(reference.node)
        // The entry's own local references already mean the same thing in the bundle.
        if id.file == 0, raw.hasPrefix("#") { return emitMapping(id, position, depth: depth) }
        guard let target = resolve(raw, from: id.file) else { return emitMapping(id, position, depth: depth) }
        if target.node.file == 0 {
            let local = ReferenceResolver.fragment(ReferenceResolver.segments(of: target.pointer))
            return emitMapping(id, position, depth: depth, replacingReference: local)
        }
        if let section = position.componentSection(pathItemsAllowed: pathItemsAllowed) {
            let name = registry.name(for: target.node, suggested: target.name, in: section)
            let local = ReferenceResolver.fragment(["components", section.rawValue, name])
            return emitMapping(id, position, depth: depth, replacingReference: local)
        }
        emitInlined(target.node, for: id, position, depth: depth)
    }

    /// The target of a reference whose kind has no section, written where the reference
    /// stood. Siblings of the `$ref` override the target's members of the same name.
    private func emitInlined(_ target: NodeID, for reference: NodeID, _ position: BundlePosition, depth: Int) {
        if let start = inlining[target] {
            // The target contains this reference: point at the copy being written around it.
            output.append("{")
            output.newline(depth: depth + 1)
            output.append("\"$ref\": ")
            output.appendQuoted(pointer(to: start))
            output.newline(depth: depth)
            output.append("}")
            return
        }
        inlining[target] = path.count
        defer { inlining[target] = nil }
        let referenceView = views[Int(reference.file)]
        let targetView = views[Int(target.file)]
        guard referenceView.count(reference.node) > 1, targetView.kind(target.node) == .mapping,
            referenceValue(of: target) == nil
        else { return emitValue(target, position, depth: depth) }

        var overrides: [String: NodeID] = [:]
        var extra: [(key: NodeID, value: NodeID)] = []
        for pair in referenceView.pairs(reference.node) where !referenceView.scalar(pair.key, equals: "$ref") {
            overrides[referenceView.string(pair.key)] = NodeID(file: reference.file, node: pair.value)
            extra.append((NodeID(file: reference.file, node: pair.key), NodeID(file: reference.file, node: pair.value)))
        }
        output.append(UInt8(ascii: "{"))
        var first = true
        var used = Set<String>()
        for pair in targetView.pairs(target.node) {
            let key = targetView.string(pair.key)
            let value = overrides[key] ?? NodeID(file: target.file, node: pair.value)
            if overrides[key] != nil { used.insert(key) }
            let keyID = NodeID(file: target.file, node: pair.key)
            emitMember(key: keyID, value: value, in: position, depth: depth + 1, first: &first)
        }
        for member in extra where !used.contains(referenceView.string(member.key.node)) {
            emitMember(key: member.key, value: member.value, in: position, depth: depth + 1, first: &first)
        }
        if first {
            output.append(UInt8(ascii: "}"))
        } else {
            output.newline(depth: depth)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// A `discriminator.mapping` value: a reference into another file becomes the schema
    /// component it names; a plain schema name or an entry reference stays as written.
    private func emitSchemaName(_ id: NodeID) {
        let view = views[Int(id.file)]
        let text = view.string(id.node)
        let looksLikeReference =
            text.contains("#") || text.contains("/") || text.hasSuffix(".yaml") || text.hasSuffix(".yml")
            || text.hasSuffix(".json")
        guard looksLikeReference, !(id.file == 0 && text.hasPrefix("#")),
            let target = resolve(text, from: id.file)
        else { return output.appendScalar(view.bytes(id.node), quoted: view.isQuoted(id.node)) }
        if target.node.file == 0 {
            return output.appendQuoted(ReferenceResolver.fragment(ReferenceResolver.segments(of: target.pointer)))
        }
        let name = registry.name(for: target.node, suggested: target.name, in: .schemas)
        output.appendQuoted(ReferenceResolver.fragment(["components", "schemas", name]))
    }

    private func resolve(_ raw: String, from file: Int32) -> ReferenceResolver.Target? {
        let target = resolver.resolve(raw, from: file)
        // Keep the trees alive and readable: the resolver may have read a new file.
        while views.count < resolver.trees.count { views.append(resolver.trees[views.count].view) }
        return target
    }

    /// The output location made of the first `count` path segments, as a local reference.
    private func pointer(to count: Int) -> String {
        let segments = path[..<count].map { segment -> String in
            switch segment {
            case .key(let key): views[Int(key.file)].string(key.node)
            case .index(let index): String(index)
            case .name(let name): name
            }
        }
        return ReferenceResolver.fragment(segments)
    }
}
