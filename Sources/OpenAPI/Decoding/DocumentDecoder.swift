/// Turns node trees into the typed model, collecting diagnostics on the way.
/// One decoder serves one load: it owns the files read so far, so `$ref`s into other
/// files are decoded on demand and every node is decoded at most once per kind.
final class DocumentDecoder {
    var files: [NodeTree] = [] {
        didSet {
            views = files.map(\.view)
            while schemaSlots.count < files.count { schemaSlots.append(Array(repeating: 0, count: files[schemaSlots.count].nodeCount)) }
        }
    }
    /// The same trees, read without reference counting on the hot paths.
    private(set) var views: [NodeView] = []
    var fileIndex: [String: Int32] = [:]
    var diagnostics = DiagnosticLog()
    var version: OpenAPIDocument.Version = .v3_1
    let limits: ParseLimits
    let fileSystem: SourceFiles

    /// Schemas by node, so a component referenced a thousand times is decoded once: indexed
    /// by file, then node, an array lookup instead of hashing on every schema. A slot holds
    /// the schema's position in `schemas` plus one, 0 when there is none; plain integers, so
    /// the slots cost nothing to free however many nodes the files have.
    var schemaSlots: [[UInt32]] = []
    var schemas: [Schema] = []
    /// The objects being decoded, one inside the other (schemas aside).
    var openObjects: Set<NodeID> = []

    /// `$ref`s seen and not yet followed.
    var pendingReferences: [(Reference, ReferenceKind)] = []
    var table = ReferenceTable()
    /// Targets already found, by `Reference.key`.
    var targets: [String: NodeID] = [:]

    init(limits: ParseLimits, fileSystem: SourceFiles) {
        self.limits = limits
        self.fileSystem = fileSystem
    }

    // MARK: Reading nodes

    @inline(__always) func tree(_ id: NodeID) -> NodeView { views[Int(id.file)] }
    @inline(__always) func kind(_ id: NodeID) -> NodeTree.Kind { views[Int(id.file)].kind(id.node) }
    func location(_ id: NodeID) -> SourceLocation { files[Int(id.file)].location(id.node) }
    func text(_ id: NodeID) -> String { views[Int(id.file)].string(id.node) }
    func file(of id: NodeID) -> String { files[Int(id.file)].file }

    func error(_ message: String, at id: NodeID) { diagnostics.error(message, at: location(id)) }
    func warning(_ message: String, at id: NodeID) { diagnostics.warning(message, at: location(id)) }

    func scalarValue(_ id: NodeID) -> ScalarValue {
        let tree = views[Int(id.file)]
        return ScalarValue.resolve(tree.string(id.node), quoted: tree.isQuoted(id.node))
    }

    func describe(_ id: NodeID) -> String {
        switch kind(id) {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            switch scalarValue(id) {
            case .null: return "null"
            case .bool(let value): return "\(value)"
            case .integer, .number: return "the number \(text(id))"
            case .string(let value): return "'\(value.count > 40 ? String(value.prefix(40)) + "…" : value)'"
            }
        }
    }

    /// Visits each field of a mapping. `handle` returns false for names it does not know;
    /// `x-` names become extensions and anything else a warning naming the object.
    func fields(
        of id: NodeID, in object: String, warnUnknown: Bool = true,
        _ handle: (String, NodeID) -> Bool
    ) -> Extensions {
        var extensions = Extensions()
        guard expect(.mapping, id, object), enter(id) else { return extensions }
        defer { leave(id) }
        let tree = views[Int(id.file)]
        for pair in tree.pairs(id.node) {
            let key = tree.string(pair.key)
            let value = NodeID(file: id.file, node: pair.value)
            if handle(key, value) { continue }
            if key.hasPrefix("x-") {
                extensions[key] = json(value)
            } else if warnUnknown {
                diagnostics.warning(
                    "unknown field '\(key)' in \(object)", at: location(NodeID(file: id.file, node: pair.key)))
            }
        }
        return extensions
    }

    /// `fields(of:in:_:)` for objects whose keys are looked up in a table: the handler gets
    /// the keyword, and returns false for one it does not take here.
    func fields<Keyword>(
        of id: NodeID, in object: String, keywords: KeywordTable<Keyword>, _ handle: (Keyword, NodeID) -> Bool
    ) -> Extensions {
        var extensions = Extensions()
        // Schemas need no loop check: each is cached before its keywords are read.
        guard expect(.mapping, id, object) else { return extensions }
        let tree = views[Int(id.file)]
        for pair in tree.pairs(id.node) {
            let value = NodeID(file: id.file, node: pair.value)
            if tree.kind(pair.key) == .scalar, let keyword = keywords.keyword(tree.bytes(pair.key)), handle(keyword, value) {
                continue
            }
            let key = tree.string(pair.key)
            if key.hasPrefix("x-") {
                extensions[key] = json(value)
            } else {
                diagnostics.warning(
                    "unknown field '\(key)' in \(object)", at: location(NodeID(file: id.file, node: pair.key)))
            }
        }
        return extensions
    }

    /// Notes that the object at `id` is being decoded; false, with an error, when it already is.
    /// Following `$ref`s can lead back into an object being decoded (an operation's callback
    /// whose `$ref` names the whole document, say), which would recurse without end.
    func enter(_ id: NodeID) -> Bool {
        guard openObjects.insert(id).inserted else {
            error("a '$ref' leads back into this object, which contains it", at: id)
            return false
        }
        return true
    }

    func leave(_ id: NodeID) { openObjects.remove(id) }

    /// The entries of a mapping whose keys are names (components, paths, properties).
    func entries(of id: NodeID, in object: String) -> [(key: String, keyLocation: SourceLocation, value: NodeID)] {
        let id = dereferenced(id)
        guard expect(.mapping, id, object) else { return [] }
        let tree = views[Int(id.file)]
        let file = files[Int(id.file)].file
        var result: [(String, SourceLocation, NodeID)] = []
        result.reserveCapacity(tree.count(id.node))
        for pair in tree.pairs(id.node) {
            let keyLocation = SourceLocation(file: file, line: tree.line(pair.key), column: tree.column(pair.key))
            result.append((tree.string(pair.key), keyLocation, NodeID(file: id.file, node: pair.value)))
        }
        return result
    }

    func items(of id: NodeID, in object: String) -> [NodeID] {
        let id = dereferenced(id)
        guard expect(.sequence, id, object) else { return [] }
        return views[Int(id.file)].items(id.node).map { NodeID(file: id.file, node: $0) }
    }

    /// Follows a mapping that is nothing but a `$ref` where the specification expects a plain
    /// value (a description, a map of properties). Not standard, but bundlers accept it and
    /// multi-file descriptions rely on it.
    func dereferenced(_ id: NodeID) -> NodeID {
        var current = id
        var hops = 0
        while kind(current) == .mapping, views[Int(current.file)].count(current.node) == 1,
            let refNode = referenceNode(current), hops < ReferenceTable.maxChain
        {
            guard kind(refNode) == .scalar, let reference = makeReference(text(refNode), at: refNode),
                let target = target(of: reference)
            else { return current }
            current = target
            hops += 1
        }
        return current
    }

    @discardableResult
    func expect(_ expected: NodeTree.Kind, _ id: NodeID, _ what: String) -> Bool {
        let actual = kind(id)
        guard actual != expected else { return true }
        let noun = expected == .mapping ? "a mapping" : expected == .sequence ? "a list" : "a value"
        error("\(what) must be \(noun), not \(describe(id))", at: id)
        return false
    }

    // MARK: Scalars

    func string(_ id: NodeID, _ what: String) -> String? {
        let id = dereferenced(id)
        guard kind(id) == .scalar else {
            error("\(what) must be a string, not \(describe(id))", at: id)
            return nil
        }
        let value = text(id)
        if !views[Int(id.file)].isQuoted(id.node), ScalarValue.isNullSpelling(value) {
            error("\(what) must be a string, not null", at: id)
            return nil
        }
        // Plain numbers and booleans (`version: 1.0`) are read as the text the author wrote.
        return value
    }

    func bool(_ id: NodeID, _ what: String) -> Bool? {
        guard kind(id) == .scalar, case .bool(let value) = scalarValue(id) else {
            let hint =
                ["yes", "no", "on", "off", "y", "n"].contains(text(id).lowercased()) && kind(id) == .scalar
                ? " (YAML 1.1's '\(text(id))' is a string in YAML 1.2 and JSON; write true or false)" : ""
            error("\(what) must be true or false, not \(describe(id))\(hint)", at: id)
            return nil
        }
        return value
    }

    func integer(_ id: NodeID, _ what: String) -> Int? {
        if kind(id) == .scalar {
            switch scalarValue(id) {
            case .integer(let value): return value
            case .number(let value) where value == value.rounded() && abs(value) < 9e18: return Int(value)
            default: break
            }
        }
        error("\(what) must be an integer, not \(describe(id))", at: id)
        return nil
    }

    func nonNegative(_ id: NodeID, _ what: String) -> Int? {
        guard let value = integer(id, what) else { return nil }
        guard value >= 0 else {
            error("\(what) must not be negative", at: id)
            return nil
        }
        return value
    }

    func number(_ id: NodeID, _ what: String) -> Double? {
        if kind(id) == .scalar {
            switch scalarValue(id) {
            case .integer(let value): return Double(value)
            case .number(let value): return value
            default: break
            }
        }
        error("\(what) must be a number, not \(describe(id))", at: id)
        return nil
    }

    func strings(_ id: NodeID, _ what: String) -> [String] {
        items(of: id, in: what).compactMap { string($0, "each item of \(what)") }
    }

    /// Any subtree as a JSON value. Depth is already bounded by the parser.
    func json(_ id: NodeID) -> JSONValue {
        let tree = views[Int(id.file)]
        switch tree.kind(id.node) {
        case .scalar:
            switch scalarValue(id) {
            case .null: return .null
            case .bool(let value): return .bool(value)
            case .integer(let value): return .integer(value)
            case .number(let value): return .number(value)
            case .string(let value): return .string(value)
            }
        case .sequence:
            return .array(tree.items(id.node).map { json(NodeID(file: id.file, node: $0)) })
        case .mapping:
            var members = OrderedMap<JSONValue>()
            for pair in tree.pairs(id.node) {
                members[tree.string(pair.key)] = json(NodeID(file: id.file, node: pair.value))
            }
            return .object(members)
        }
    }
}
