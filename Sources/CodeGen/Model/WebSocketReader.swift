import Foundation
import OpenAPI

/// Reads the document's `x-websockets` into channels, with a diagnostic for each thing wrong.
///
/// It reads the entry file's node tree, not `document.extensions`: the loader keeps an
/// extension as plain JSON, without the source locations a diagnostic points at, and does not
/// follow `$ref`s inside it. `receive` may therefore only point at `#/components/schemas/…`
/// (resolved here, by name) or be written inline.
///
/// Errors are what would make the helper wrong (no path, no message type, a name taken twice);
/// warnings what it can still be written for. An entry with an error is left out; the run
/// fails anyway, so nothing is written.
struct WebSocketReader {
    static let key = "x-websockets"

    private let tree: NodeTree
    private let document: OpenAPIDocument
    private let spec: LoadedSpec
    private var diagnostics: [Diagnostic] = []
    private var errorCount = 0

    /// The channels in document order, and the diagnostics; nothing when the document has no
    /// `x-websockets`. `ModelBuilder` calls it once and keeps both in the model.
    static func read(_ spec: LoadedSpec) -> (channels: [WebSocketChannel], diagnostics: [Diagnostic]) {
        guard let document = spec.document, document.extensions[key] != nil, let tree = spec.trees.first,
            let root = tree.root, let node = tree.value(root, forKey: key)
        else { return ([], []) }
        var reader = WebSocketReader(tree: tree, document: document, spec: spec)
        let channels = reader.channels(node)
        return (channels, reader.diagnostics)
    }

    private init(tree: NodeTree, document: OpenAPIDocument, spec: LoadedSpec) {
        self.tree = tree
        self.document = document
        self.spec = spec
    }

    private mutating func error(_ message: String, at node: NodeTree.Index) {
        error(message, at: tree.location(node))
    }

    private mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
        errorCount += 1
    }

    private mutating func warning(_ message: String, at node: NodeTree.Index) {
        diagnostics.append(Diagnostic(.warning, message, at: tree.location(node)))
    }

    // MARK: Entries

    private mutating func channels(_ node: NodeTree.Index) -> [WebSocketChannel] {
        guard tree.kind(node) == .mapping else {
            error("\(Self.key) must be a mapping from paths to WebSocket entries, not \(describe(node))", at: node)
            return []
        }
        var operationIds = httpOperationIds()
        var channels: [WebSocketChannel] = []
        for pair in tree.pairs(node) {
            let path = tree.string(pair.key)
            if path.hasPrefix("x-") { continue }
            if path == "$ref" {
                error(
                    "\(Self.key) cannot be a $ref: specgen does not follow references in extensions; write the entries in place",
                    at: pair.key)
                continue
            }
            guard path.hasPrefix("/") else {
                error("\(Self.key) path '\(path)' must start with '/'", at: pair.key)
                continue
            }
            if let channel = channel(path, pair.value, key: pair.key, operationIds: &operationIds) { channels.append(channel) }
        }
        return channels
    }

    /// Each `operationId` of `paths` and `webhooks`, with what it names, for the clash check.
    private func httpOperationIds() -> [String: String] {
        var ids: [String: String] = [:]
        for (path, item) in spec.pathItems {
            for (method, operation) in item.operations {
                guard let id = operation.operationId, ids[id] == nil else { continue }
                ids[id] = "\(method.rawValue.uppercased()) \(path)"
            }
        }
        for (name, reference) in document.webhooks {
            guard let item = spec.references.resolve(reference) else { continue }
            for (method, operation) in item.operations {
                guard let id = operation.operationId, ids[id] == nil else { continue }
                ids[id] = "webhook '\(name)' (\(method.rawValue.uppercased()))"
            }
        }
        return ids
    }

    private mutating func channel(
        _ path: String, _ node: NodeTree.Index, key: NodeTree.Index, operationIds: inout [String: String]
    ) -> WebSocketChannel? {
        let entry = "\(Self.key) entry '\(path)'"
        guard tree.kind(node) == .mapping else {
            error("\(entry) must be a mapping, not \(describe(node))", at: node)
            return nil
        }
        let errorsBefore = errorCount
        var channel = WebSocketChannel(path: path, deprecated: false, token: .unused, location: tree.location(key))
        var security = document.security ?? []
        var receive: NodeTree.Index?
        for pair in tree.pairs(node) {
            let field = tree.string(pair.key)
            let value = pair.value
            switch field {
            case "summary": channel.summary = string(value, "'summary' of \(entry)")
            case "description": channel.description = string(value, "'description' of \(entry)")
            case "operationId":
                guard let id = string(value, "'operationId' of \(entry)") else { continue }
                if let user = operationIds[id] {
                    error("operationId '\(id)' of \(entry) is already used by \(user)", at: value)
                } else {
                    operationIds[id] = entry
                    channel.operationId = id
                }
            case "tags":
                // Read for their shape only: the helpers are not grouped.
                for item in items(value, "'tags' of \(entry)") { _ = string(item, "each tag of \(entry)") }
            case "deprecated": channel.deprecated = bool(value, "'deprecated' of \(entry)") ?? false
            case "security": security = securityRequirements(value, entry)
            case "receive": receive = value
            default:
                if !field.hasPrefix("x-") { warning("unknown field '\(field)' in \(entry) (ignored)", at: pair.key) }
            }
        }
        if let receive {
            channel.messageComponent = messageComponent(receive, entry)
        } else {
            error("\(entry) has no 'receive': the schema of the messages the server sends", at: key)
        }
        // An undeclared scheme is already an error; whether the token can be sent is moot then.
        if errorCount == errorsBefore { channel.token = token(for: security, entry, at: key) }
        if path.contains("{") {
            warning("\(entry) has a path template: the helper takes no path parameters and connects to the path as written", at: key)
        }
        return errorCount == errorsBefore ? channel : nil
    }

    /// The component `receive` names, or `nil` for an inline schema (a warning: its messages
    /// are `unknown`) and for a `$ref` that cannot be followed (an error).
    private mutating func messageComponent(_ node: NodeTree.Index, _ entry: String) -> String? {
        let what = "'receive' of \(entry)"
        guard tree.kind(node) == .mapping else {
            error("\(what) must be a schema (a mapping), not \(describe(node))", at: node)
            return nil
        }
        guard let refNode = tree.value(node, forKey: "$ref") else {
            warning(
                "\(what) is an inline schema, so its messages are typed `unknown`; "
                    + "declare it in components.schemas and $ref it", at: node)
            return nil
        }
        guard tree.kind(refNode) == .scalar, !isNull(refNode) else {
            error("the $ref of \(what) must be a string, not \(describe(refNode))", at: refNode)
            return nil
        }
        let raw = tree.string(refNode)
        let prefix = "#/components/schemas/"
        let decoded = raw.removingPercentEncoding ?? raw
        let segments = decoded.hasPrefix(prefix) ? JSONPointer.segments(String(decoded.dropFirst())) : []
        guard segments.count == 3, !segments[2].isEmpty else {
            error(
                "the $ref '\(raw)' of \(what) must point at a schema in this document's components "
                    + "('\(prefix)Name'): specgen does not follow other references in extensions", at: refNode)
            return nil
        }
        let name = segments[2]
        guard document.components.schemas[name] != nil else {
            error("the $ref '\(raw)' of \(what) points at no schema: components.schemas has no '\(name)'", at: refNode)
            return nil
        }
        return name
    }

    /// The alternatives of a `security` list, each the schemes it names; an undeclared
    /// scheme is an error, as it is on an operation.
    private mutating func securityRequirements(_ node: NodeTree.Index, _ entry: String) -> [SecurityRequirement] {
        var requirements: [SecurityRequirement] = []
        for item in items(node, "'security' of \(entry)") {
            guard tree.kind(item) == .mapping else {
                error("each security requirement of \(entry) must be a mapping, not \(describe(item))", at: item)
                continue
            }
            var requirement = SecurityRequirement()
            for pair in tree.pairs(item) {
                let name = tree.string(pair.key)
                if document.components.securitySchemes[name] == nil {
                    error("security requirement of \(entry) names '\(name)', which is not in components.securitySchemes", at: pair.key)
                }
                requirement[name] = []
            }
            requirements.append(requirement)
        }
        return requirements
    }

    /// The token the helper takes: required when every alternative names a bearer scheme,
    /// optional when only some do. When none does and none is public (`{}`), the server wants
    /// what the helper cannot send (an API key, basic credentials): a warning.
    private mutating func token(
        for security: [SecurityRequirement], _ entry: String, at key: NodeTree.Index
    ) -> WebSocketChannel.Token {
        let bearer = security.map { requirement in
            requirement.keys.contains { name in
                guard let reference = document.components.securitySchemes[name],
                    let scheme = spec.references.resolve(reference)
                else { return false }
                return scheme.carriesBearerToken
            }
        }
        if bearer.contains(true) { return bearer.allSatisfy { $0 } ? .required : .optional }
        if security.isEmpty || security.contains(where: \.isEmpty) { return .unused }
        let names = security.flatMap(\.keys).map { "'\($0)'" }.joined(separator: ", ")
        warning(
            "\(entry) requires \(names), which the helper cannot send: it sends only a bearer token "
                + "(as the subprotocol pair 'bearer', token)", at: key)
        return .unused
    }

    // MARK: Values

    private func isNull(_ node: NodeTree.Index) -> Bool {
        tree.kind(node) == .scalar && !tree.isQuoted(node) && ScalarValue.resolve(tree.string(node), quoted: false) == .null
    }

    private mutating func string(_ node: NodeTree.Index, _ what: String) -> String? {
        guard tree.kind(node) == .scalar, !isNull(node) else {
            error("\(what) must be a string, not \(describe(node))", at: node)
            return nil
        }
        // Plain numbers and booleans are read as the text written, as the loader does.
        return tree.string(node)
    }

    private mutating func bool(_ node: NodeTree.Index, _ what: String) -> Bool? {
        guard tree.kind(node) == .scalar, case .bool(let value) = scalar(node) else {
            error("\(what) must be true or false, not \(describe(node))", at: node)
            return nil
        }
        return value
    }

    private mutating func items(_ node: NodeTree.Index, _ what: String) -> [NodeTree.Index] {
        guard tree.kind(node) == .sequence else {
            error("\(what) must be a list, not \(describe(node))", at: node)
            return []
        }
        return Array(tree.items(node))
    }

    private func scalar(_ node: NodeTree.Index) -> ScalarValue {
        ScalarValue.resolve(tree.string(node), quoted: tree.isQuoted(node))
    }

    /// A node as the loader's messages describe it: `a mapping`, `a list`, `null`, `'text'`.
    private func describe(_ node: NodeTree.Index) -> String {
        switch tree.kind(node) {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            switch scalar(node) {
            case .null: return "null"
            case .bool(let value): return "\(value)"
            case .integer, .number: return "the number \(tree.string(node))"
            case .string(let value): return "'\(value.count > 40 ? String(value.prefix(40)) + "…" : value)'"
            }
        }
    }
}
