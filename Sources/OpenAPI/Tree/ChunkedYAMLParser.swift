import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses a large YAML document on two threads. libyaml is single-threaded and is most of the
/// loading time, so the document is cut at a line where a key of the root mapping, or of a
/// mapping one level down, starts (`YAMLSplit`): the head and the tail (what follows that
/// mapping) are read on the calling thread while the middle is read on another, and the three
/// trees are joined into the tree a single pass would have built, node for node.
///
/// A cut is only a guess until the pieces parse: any piece with a diagnostic, an alias that
/// would cross pieces, a merge key, a duplicate key across pieces, or a shape other than the
/// expected mapping makes this return nil, and the caller parses the whole document in one
/// pass, which then reports what is wrong exactly as before.
enum ChunkedYAMLParser {
    /// Below this size a second thread costs more than it saves.
    static let minimumBytes = 256 * 1024

    /// `force` and `near` are for tests: chunk a small document, and cut near another byte.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ParseLimits, force: Bool = false, near: Int? = nil
    ) -> NodeTree? {
        guard force || (bytes.count >= minimumBytes && processorCount > 1),
            let split = YAMLSplit.find(in: bytes, near: near ?? bytes.count / 2)
        else { return nil }
        // The middle's root is a level down when it continues a nested mapping.
        var middleLimits = limits
        if split.indent > 0 { middleLimits.maxDepth -= 1 }
        let pieces = Pieces(
            input: (
                head: UnsafeBufferPointer(rebasing: bytes[..<split.cut]),
                middle: UnsafeBufferPointer(rebasing: bytes[split.cut..<split.resume]),
                tail: UnsafeBufferPointer(rebasing: bytes[split.resume...])
            ), limits: (limits, middleLimits))
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 1 {
                pieces.middle = YAMLParser.read(pieces.input.middle, file: file, limits: pieces.limits.middle)
            } else {
                pieces.head = YAMLParser.read(pieces.input.head, file: file, limits: pieces.limits.outer)
                if !pieces.input.tail.isEmpty {
                    pieces.tail = YAMLParser.read(pieces.input.tail, file: file, limits: pieces.limits.outer)
                }
            }
        }
        guard let head = pieces.head.flatMap({ Piece($0, last: false) }),
            let middle = pieces.middle.flatMap({ Piece($0, last: pieces.tail == nil) })
        else { return nil }
        var tailPiece: Piece?
        if let tail = pieces.tail {
            guard let piece = Piece(tail, last: true) else { return nil }
            tailPiece = piece
        }
        pieces.head = nil
        pieces.middle = nil
        pieces.tail = nil
        let joiner = Joiner(file: file, indent: split.indent, limits: limits, head: head, middle: middle, tail: tailPiece)
        return joiner.join()
    }

    static var processorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Results written by the two threads; each slot by one thread only, read after both end.
    private final class Pieces: @unchecked Sendable {
        let input: (head: UnsafeBufferPointer<UInt8>, middle: UnsafeBufferPointer<UInt8>, tail: UnsafeBufferPointer<UInt8>)
        let limits: (outer: ParseLimits, middle: ParseLimits)
        var head: TreeBuilder?
        var middle: TreeBuilder?
        var tail: TreeBuilder?

        init(
            input: (head: UnsafeBufferPointer<UInt8>, middle: UnsafeBufferPointer<UInt8>, tail: UnsafeBufferPointer<UInt8>),
            limits: (outer: ParseLimits, middle: ParseLimits)
        ) {
            self.input = input
            self.limits = limits
        }
    }
}

/// One parsed piece, reduced to what joining needs.
private struct Piece {
    var storage: NodeStorage
    var root: NodeTree.Index
    var rootWeight: UInt64
    /// Lines the piece spans, counted by libyaml.
    var lines: Int

    /// Nil when the piece cannot be joined: a diagnostic, a merge key, no root mapping, an
    /// input that did not end at the start of a line, or a `...` before the last piece (the
    /// single pass would read what follows it as a second document, and ignore it).
    init?(_ builder: TreeBuilder, last: Bool) {
        var builder = builder
        guard !builder.failed, builder.diagnostics.entries.isEmpty, !builder.sawMergeKey,
            last || !builder.endsDocumentExplicitly, let root = builder.root, let end = builder.streamEnd, end.column == 0
        else { return nil }
        self.root = root
        rootWeight = builder.rootWeight
        lines = end.line
        storage = builder.takeStorage()
        guard root == 0, storage.records[0].kind == .mapping else { return nil }
        // An empty value takes its place from the token after it. At the end of a piece that
        // token is the end of the input, where the whole document has the next piece's first
        // key, often further along its line.
        if !last, let final = storage.records.buffer.last, final.kind == .scalar, final.count == 0, final.line == end.line + 1 {
            return nil
        }
    }

    var rootRecord: NodeStorage.Record { storage.records[Int(root)] }

    /// A block mapping starts where its first key does; a flow mapping starts at its `{`.
    func isBlockMapping(_ node: NodeTree.Index) -> Bool {
        let record = storage.records[Int(node)]
        guard record.kind == .mapping, record.count > 0 else { return false }
        let key = storage.records[Int(storage.children[Int(record.start)])]
        return key.line == record.line && key.column == record.column
    }
}

/// Joins head, middle and tail into one tree numbered as a single pass numbers it: the head's
/// nodes, then the middle's, then the tail's, each piece's own root mapping dropped and its
/// entries appended to the mapping it continues.
private struct Joiner {
    let file: String
    let indent: Int
    let limits: ParseLimits
    let head: Piece
    let middle: Piece
    let tail: Piece?

    func join() -> NodeTree? {
        let headRoot = head.rootRecord
        guard headRoot.column == 1, middle.rootRecord.column == UInt32(indent + 1),
            head.isBlockMapping(head.root), middle.isBlockMapping(middle.root)
        else { return nil }
        if let tail, tail.rootRecord.column != 1 || !tail.isBlockMapping(tail.root) { return nil }

        // The mapping the middle continues: the root, or the value of the head's last root key.
        let target: NodeTree.Index
        if indent == 0 {
            target = head.root
            guard tail == nil else { return nil }
        } else {
            guard headRoot.count >= 2 else { return nil }
            let lastKey = head.storage.children[Int(headRoot.start + headRoot.count - 2)]
            let value = head.storage.children[Int(headRoot.start + headRoot.count - 1)]
            let record = head.storage.records[Int(value)]
            // Built right after its key (not an alias to an earlier node) and closed just
            // before the root, so it is the mapping still open where the head ends.
            guard value > lastKey, head.isBlockMapping(value), record.column == UInt32(indent + 1),
                record.start + record.count == headRoot.start
            else { return nil }
            target = value
        }
        guard !hasCrossDuplicates(head, target, middle), tail.map({ !hasCrossDuplicates(head, head.root, $0) }) ?? true else {
            return nil
        }
        var weight = head.rootWeight
        for piece in [middle, tail].compactMap({ $0 }) {
            let (sum, overflow) = weight.addingReportingOverflow(piece.rootWeight - 1)
            guard !overflow else { return nil }
            weight = sum
        }
        guard weight <= limits.maxExpandedNodes else { return nil }
        return build(target: target)
    }

    /// Whether a key of `piece`'s root mapping is already a key of `mapping` in the head.
    private func hasCrossDuplicates(_ head: Piece, _ mapping: NodeTree.Index, _ piece: Piece) -> Bool {
        var keys = Set<String>()
        for pair in head.storage.pairs(mapping) {
            guard head.storage.kind(pair.key) == .scalar else { return true }
            keys.insert(head.storage.string(pair.key))
        }
        for pair in piece.storage.pairs(piece.root) {
            guard piece.storage.kind(pair.key) == .scalar, !keys.contains(piece.storage.string(pair.key)) else { return true }
        }
        return false
    }

    /// Appends the middle and the tail to the head's buffers, which grow in place, so only
    /// the smaller pieces are copied.
    private func build(target: NodeTree.Index) -> NodeTree? {
        let pieces = [head, middle] + (tail.map { [$0] } ?? [])
        let records = head.storage.records
        let children = head.storage.children
        let text = head.storage.text
        // Where each piece's nodes, text and lines start in the joined tree.
        var nodeBase: [Int] = [0]
        var textBase: [Int] = [0]
        var lineBase: [Int] = [0]
        for piece in pieces {
            let dropped = nodeBase.count == 1 ? 0 : 1
            nodeBase.append(nodeBase.last! + piece.storage.records.count - dropped)
            textBase.append(textBase.last! + piece.storage.text.count)
            lineBase.append(lineBase.last! + piece.lines)
        }

        // Children, in this order: the head's before the target's range, the middle's before its
        // root's, the target's (head's then middle's); then with a tail, the tail's before its
        // root's; then the root's (head's, then the tail's). The target is the root when the
        // cut was between root keys. The head's target and root ranges end its children, so
        // they are set aside and the rest stays where it is.
        let headTarget = records[Int(target)]
        let headRoot = records[Int(head.root)]
        let targetChildren = Array(children.buffer[Int(headTarget.start)..<Int(headTarget.start + headTarget.count)])
        let rootChildren =
            target == head.root ? [] : Array(children.buffer[Int(headRoot.start)..<Int(headRoot.start + headRoot.count)])
        children.removeLast(children.count - Int(headTarget.start))
        var childBase = [0, 0, 0]
        /// Appends a piece's children, renumbered; false when one is the piece's own root.
        func append(_ number: Int, _ range: Range<UInt32>) -> Bool {
            let source = pieces[number].storage.children.buffer
            let shift = NodeTree.Index(nodeBase[number] - 1)
            for offset in Int(range.lowerBound)..<Int(range.upperBound) {
                let child = source[offset]
                guard child > 0 else { return false }
                children.append(child + shift)
            }
            return true
        }
        let middleRoot = middle.rootRecord
        childBase[1] = children.count
        guard append(1, 0..<middleRoot.start) else { return nil }
        let targetStart = children.count
        targetChildren.withUnsafeBufferPointer { children.append(contentsOf: $0) }
        guard append(1, middleRoot.start..<middleRoot.start + middleRoot.count) else { return nil }
        let targetCount = children.count - targetStart
        var rootStart = targetStart
        var rootCount = targetCount
        if target != head.root {
            if let tail {
                childBase[2] = children.count
                guard append(2, 0..<tail.rootRecord.start) else { return nil }
            }
            rootStart = children.count
            rootChildren.withUnsafeBufferPointer { children.append(contentsOf: $0) }
            if let tail {
                let tailRoot = tail.rootRecord
                guard append(2, tailRoot.start..<tailRoot.start + tailRoot.count) else { return nil }
            }
            rootCount = children.count - rootStart
        }

        for (number, piece) in pieces.enumerated().dropFirst() {
            let line = UInt32(lineBase[number])
            let textShift = UInt32(textBase[number])
            let childShift = UInt32(childBase[number])
            for var record in piece.storage.records.buffer.dropFirst() {
                record.line += line
                record.start += record.kind == .scalar ? textShift : childShift
                records.append(record)
            }
            text.append(contentsOf: piece.storage.text.buffer)
        }
        records[Int(target)].start = UInt32(targetStart)
        records[Int(target)].count = UInt32(targetCount)
        records[Int(head.root)].start = UInt32(rootStart)
        records[Int(head.root)].count = UInt32(rootCount)
        return NodeTree(storage: head.storage, root: head.root)
    }
}
