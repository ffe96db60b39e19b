/// The entry document's `x-default-responses` (at the root and on its tags) as the bundler
/// writes them: into each operation's `responses`, after the codes it declares itself, so the
/// published document lists every response per operation as the decoder's model has it.
struct DefaultResponses {
    typealias Entry = (key: NodeID, value: NodeID)

    private var root: [Entry] = []
    private var byTag: [String: [Entry]] = [:]

    var isEmpty: Bool { root.isEmpty && byTag.isEmpty }

    init(entry tree: NodeTree?) {
        guard let tree, let document = tree.root, tree.kind(document) == .mapping else { return }
        let view = tree.view
        root = Self.entries(of: document, in: view)
        if let tags = view.value(document, forKey: "tags"), view.kind(tags) == .sequence {
            for tag in view.items(tags) where view.kind(tag) == .mapping {
                guard let name = view.value(tag, forKey: "name") else { continue }
                let entries = Self.entries(of: tag, in: view)
                if !entries.isEmpty { byTag[view.string(name)] = entries }
            }
        }
    }

    private static func entries(of owner: NodeTree.Index, in view: NodeView) -> [Entry] {
        guard let node = view.value(owner, forKey: "x-default-responses"), view.kind(node) == .mapping else { return [] }
        return view.pairs(node).filter { !view.string($0.key).hasPrefix("x-") }.map {
            (NodeID(file: 0, node: $0.key), NodeID(file: 0, node: $0.value))
        }
    }

    /// The default responses `operation` does not declare, in the order the decoder adds them
    /// (the root's, with a tag's replacing the root's of the same code, then the tags' own).
    func missing(in operation: NodeID, views: [NodeView], entry: NodeView) -> [Entry] {
        let view = views[Int(operation.file)]
        if let optOut = view.value(operation.node, forKey: "x-default-responses"), view.string(optOut) == "false" {
            return []
        }
        var merged: [(code: String, entry: Entry)] = root.map { (entry.string($0.key.node), $0) }
        if let tags = view.value(operation.node, forKey: "tags"), view.kind(tags) == .sequence {
            for tag in view.items(tags) {
                for item in byTag[view.string(tag)] ?? [] {
                    let code = entry.string(item.key.node)
                    if let index = merged.firstIndex(where: { $0.code == code }) {
                        merged[index].entry = item
                    } else {
                        merged.append((code, item))
                    }
                }
            }
        }
        let declared =
            view.value(operation.node, forKey: "responses").map { responses in
                Set(view.pairs(responses).map { view.string($0.key) })
            } ?? []
        return merged.filter { !declared.contains($0.code) }.map(\.entry)
    }
}
