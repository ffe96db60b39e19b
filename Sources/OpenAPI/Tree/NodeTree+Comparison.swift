extension NodeTree {
    /// Where this tree differs from `other`: node count, root, and each node's kind, place,
    /// quoting, text and children. Empty when they are the same tree.
    func differences(from other: NodeTree, limit: Int = 5) -> [String] {
        guard nodeCount == other.nodeCount, root == other.root else {
            let roots = "\(String(describing: root)) and \(String(describing: other.root))"
            return ["\(nodeCount) nodes against \(other.nodeCount), roots \(roots)"]
        }
        var found: [String] = []
        for index in 0..<Index(nodeCount) where found.count < limit {
            let same =
                kind(index) == other.kind(index) && location(index) == other.location(index)
                && isQuoted(index) == other.isQuoted(index) && string(index) == other.string(index)
                && Array(items(index)) == Array(other.items(index))
                && pairs(index).map { [$0.key, $0.value] } == other.pairs(index).map { [$0.key, $0.value] }
            if !same { found.append("node \(index) at \(location(index)) differs from \(other.location(index))") }
        }
        return found
    }

    /// Parses YAML `bytes` in one pass and on two threads, whatever their size, and tells
    /// whether the two agree: the same tree, or the two-thread parse declining. For the fuzzer;
    /// loading never needs it.
    public static func chunkedParseAgrees(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            let limits = ParseLimits()
            guard let chunked = ChunkedYAMLParser.parse(buffer, file: "input.yaml", limits: limits, force: true) else {
                return true
            }
            let (single, _) = YAMLParser.read(buffer, file: "input.yaml", limits: limits).finish()
            return chunked.differences(from: single, limit: 1).isEmpty
        }
    }
}
