#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds a `NodeTree` from the events of a parser, enforcing the parse limits and YAML's
/// rules for keys, anchors and merge keys. Parsers feed it; it never recurses.
struct TreeBuilder {
    private(set) var tree: NodeStorage
    private(set) var diagnostics = DiagnosticLog()
    private let limits: ParseLimits

    private struct Frame {
        var node: NodeTree.Index
        var pendingStart: Int
        var anchor: String?
        /// What the aliases inside add to the expanded size, beyond the nodes built here.
        var aliasWeight: UInt64 = 0
    }

    private var frames: [Frame] = []
    /// Children of the open containers, moved to `tree.children` when each closes so every
    /// container's children end up contiguous.
    private var pending: [NodeTree.Index] = []
    /// Anchored nodes with their expanded size (aliases counted in full), for the alias-bomb
    /// bound. Other nodes need no stored size: a container's nodes are numbered in one run,
    /// so its size is that run's length plus what its aliases add.
    private var anchors: [String: (node: NodeTree.Index, weight: UInt64)] = [:]
    private var openAnchors: Set<String> = []
    private(set) var failed = false
    private(set) var root: NodeTree.Index?
    /// Set by a merge key anywhere: merging is order-sensitive, so a split parse gives up.
    private(set) var sawMergeKey = false
    /// The 0-based line and column where the input ended, from the stream's end event.
    var streamEnd: (line: Int, column: Int)?
    /// A `...` ended the document: what follows it in the file would be another document.
    var endsDocumentExplicitly = false

    /// The expanded size of the root, for checking the alias bound across chunks.
    private(set) var rootWeight: UInt64 = 0

    init(file: String, limits: ParseLimits, expectedBytes: Int) {
        tree = NodeStorage(file: file, expectedBytes: expectedBytes)
        self.limits = limits
    }

    mutating func fail(_ message: String, line: Int, column: Int) {
        diagnostics.error(message, at: SourceLocation(file: tree.file, line: line, column: column))
        failed = true
    }

    mutating func warn(_ message: String, line: Int, column: Int) {
        diagnostics.warning(message, at: SourceLocation(file: tree.file, line: line, column: column))
    }

    mutating func scalar(
        _ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool, line: Int, column: Int, anchor: String? = nil
    ) {
        let node = NodeTree.Index(tree.records.count)
        tree.records.append(
            .init(
                kind: .scalar, isQuoted: quoted, line: UInt32(line), column: UInt32(column),
                start: UInt32(tree.text.count), count: UInt32(bytes.count)))
        tree.text.append(contentsOf: bytes)
        if let anchor { anchors[anchor] = (node, 1) }
        attach(node, weight: 1)
    }

    mutating func begin(_ kind: NodeTree.Kind, line: Int, column: Int, anchor: String? = nil) {
        guard frames.count < limits.maxDepth else {
            fail("nesting is deeper than \(limits.maxDepth) levels", line: line, column: column)
            return
        }
        let node = NodeTree.Index(tree.records.count)
        tree.records.append(
            .init(kind: kind, isQuoted: false, line: UInt32(line), column: UInt32(column), start: 0, count: 0))
        if let anchor { openAnchors.insert(anchor) }
        frames.append(Frame(node: node, pendingStart: pending.count, anchor: anchor))
    }

    mutating func end() {
        guard let frame = frames.popLast() else { return }
        let record = tree.records[Int(frame.node)]
        if record.kind == .mapping {
            var sawMergeKey = false
            for position in stride(from: frame.pendingStart, to: pending.count, by: 2) where isMergeKey(pending[position]) {
                sawMergeKey = true
                break
            }
            if sawMergeKey {
                self.sawMergeKey = true
                let merged = mergeKeys(Array(pending[frame.pendingStart...]))
                pending.replaceSubrange(frame.pendingStart..., with: merged)
            }
            checkDuplicateKeys(from: frame.pendingStart)
        }
        let weight = Self.adding(UInt64(tree.records.count - Int(frame.node)), frame.aliasWeight)
        tree.records[Int(frame.node)].start = UInt32(tree.children.count)
        tree.records[Int(frame.node)].count = UInt32(pending.count - frame.pendingStart)
        pending[frame.pendingStart...].withUnsafeBufferPointer { tree.children.append(contentsOf: $0) }
        pending.removeSubrange(frame.pendingStart...)
        if let anchor = frame.anchor {
            openAnchors.remove(anchor)
            anchors[anchor] = (frame.node, weight)
        }
        if !frames.isEmpty { frames[frames.count - 1].aliasWeight = Self.adding(frames[frames.count - 1].aliasWeight, frame.aliasWeight) }
        if weight > limits.maxExpandedNodes {
            fail(
                "expanding the aliases here gives more than \(limits.maxExpandedNodes) nodes (an alias bomb?)",
                line: Int(record.line), column: Int(record.column))
            return
        }
        attach(frame.node, weight: weight)
    }

    mutating func alias(_ name: String, line: Int, column: Int) {
        if openAnchors.contains(name) {
            fail("alias '*\(name)' refers to a node that contains it", line: line, column: column)
            return
        }
        guard let (node, weight) = anchors[name] else {
            fail("alias '*\(name)' has no anchor '&\(name)' before it", line: line, column: column)
            return
        }
        if !frames.isEmpty { frames[frames.count - 1].aliasWeight = Self.adding(frames[frames.count - 1].aliasWeight, weight) }
        attach(node, weight: weight)
    }

    private mutating func attach(_ node: NodeTree.Index, weight: UInt64) {
        if frames.isEmpty {
            if root == nil {
                root = node
                rootWeight = weight
            }
        } else {
            pending.append(node)
        }
    }

    @inline(__always)
    private static func adding(_ left: UInt64, _ right: UInt64) -> UInt64 {
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? .max : sum
    }

    /// YAML 1.1 merge keys (`<<: *base`), still common in hand-written API descriptions.
    private func mergeKeys(_ items: [NodeTree.Index]) -> [NodeTree.Index] {
        // The caller found a merge key already.
        var own: [NodeTree.Index] = []
        var merged: [NodeTree.Index] = []
        var index = 0
        while index + 1 < items.count {
            let key = items[index]
            let value = items[index + 1]
            if isMergeKey(key) {
                let sources = tree.kind(value) == .sequence ? Array(tree.items(value)) : [value]
                for source in sources where tree.kind(source) == .mapping {
                    for pair in tree.pairs(source) {
                        merged.append(pair.key)
                        merged.append(pair.value)
                    }
                }
            } else {
                own.append(key)
                own.append(value)
            }
            index += 2
        }
        var seen = Set<String>()
        index = 0
        while index < own.count {
            seen.insert(tree.string(own[index]))
            index += 2
        }
        index = 0
        while index + 1 < merged.count {
            if seen.insert(tree.string(merged[index])).inserted {
                own.append(merged[index])
                own.append(merged[index + 1])
            }
            index += 2
        }
        return own
    }

    private func isMergeKey(_ node: NodeTree.Index) -> Bool {
        let record = tree.records[Int(node)]
        return record.count == 2 && !record.isQuoted && record.kind == .scalar && tree.scalar(node, equals: "<<")
    }

    private mutating func checkDuplicateKeys(from start: Int) {
        guard pending.count - start > 2 else { return }
        let (complex, duplicates) = Self.findDuplicateKeys(pending[start...], in: tree)
        for key in complex { reportComplexKey(key) }
        for (key, first) in duplicates { reportDuplicate(key, first: first) }
    }

    /// Small mappings compare keys pairwise; large ones go through a hash set first.
    /// Static, over borrowed arguments, so the builder is not copied for every mapping.
    private static func findDuplicateKeys(
        _ items: ArraySlice<NodeTree.Index>, in tree: NodeStorage
    ) -> (complex: [NodeTree.Index], duplicates: [(NodeTree.Index, NodeTree.Index)]) {
        var complex: [NodeTree.Index] = []
        var duplicates: [(NodeTree.Index, NodeTree.Index)] = []
        let start = items.startIndex
        let end = items.endIndex
        let pairCount = (end - start) / 2
        var hashes = Set<UInt64>()
        if pairCount > 12 { hashes.reserveCapacity(pairCount) }
        let text = tree.text.buffer
        let records = tree.records.buffer
        func same(_ a: NodeTree.Index, _ b: NodeTree.Index) -> Bool {
            let left = records[Int(a)]
            let right = records[Int(b)]
            guard left.kind == .scalar, right.kind == .scalar, left.count == right.count else { return false }
            return left.count == 0
                || memcmp(text.baseAddress! + Int(left.start), text.baseAddress! + Int(right.start), Int(left.count)) == 0
        }
        func hash(_ node: NodeTree.Index) -> UInt64 {
            let record = records[Int(node)]
            var value: UInt64 = 0xcbf2_9ce4_8422_2325
            for offset in Int(record.start)..<Int(record.start + record.count) {
                value = (value ^ UInt64(text[offset])) &* 0x100_0000_01b3
            }
            return value
        }
        var index = start
        while index < end {
            let key = items[index]
            if records[Int(key)].kind != .scalar {
                complex.append(key)
            } else if pairCount <= 12 || !hashes.insert(hash(key)).inserted {
                var other = start
                while other < index {
                    if same(items[other], key) {
                        duplicates.append((key, items[other]))
                        break
                    }
                    other += 2
                }
            }
            index += 2
        }
        return (complex, duplicates)
    }

    private mutating func reportComplexKey(_ key: NodeTree.Index) {
        diagnostics.warning("a mapping key should be a scalar", at: tree.location(key))
    }

    private mutating func reportDuplicate(_ key: NodeTree.Index, first: NodeTree.Index) {
        let there = tree.location(first)
        diagnostics.error(
            "duplicate key '\(tree.string(key))' (first defined at line \(there.line), column \(there.column))",
            at: tree.location(key))
    }

    func finish() -> (NodeTree, DiagnosticLog) { (NodeTree(storage: tree, root: root), diagnostics) }

    /// Hands the arrays over to a chunk merge, leaving this builder empty.
    mutating func takeStorage() -> NodeStorage {
        let taken = tree
        tree = NodeStorage(file: taken.file)
        return taken
    }
}
