#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parsed YAML or JSON file, stored flat: one record per node and one byte buffer for all
/// scalar text. A document of several megabytes becomes a handful of arrays instead of
/// hundreds of thousands of small objects, which keeps loading fast and memory near the
/// size of the source. Aliases share their anchor's node, so the tree is a DAG.
///
/// Readers index the buffers through plain pointers (`NodeView`): the decoder visits every
/// node several times, and retaining arrays on each visit cost more than the visit itself.
public final class NodeTree: @unchecked Sendable {
    public enum Kind: UInt8, Sendable, BitwiseCopyable {
        case scalar
        case sequence
        case mapping
    }

    /// The index of a node in its tree.
    public typealias Index = UInt32

    public let file: String
    public let root: Index?
    let view: NodeView

    /// Parses YAML or JSON (chosen by the file name or a leading `{`) into a tree.
    public static func parse(
        _ bytes: [UInt8], file: String, limits: ParseLimits = ParseLimits()
    ) -> (NodeTree, DiagnosticLog) {
        let firstByte = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if file.hasSuffix(".json") || firstByte == UInt8(ascii: "{") {
            return JSONParser.parse(bytes, file: file, limits: limits)
        }
        return YAMLParser.parse(bytes, file: file, limits: limits)
    }

    /// Kept for its buffers, which `view` reads; nothing appends to them any more.
    private let storage: NodeStorage

    init(storage: NodeStorage, root: Index?) {
        self.file = storage.file
        self.root = root
        storage.records.trim()
        storage.children.trim()
        storage.text.trim()
        self.storage = storage
        view = storage.view
    }

    public var nodeCount: Int { view.records.count }

    @inline(__always) public func kind(_ node: Index) -> Kind { view.kind(node) }
    public func location(_ node: Index) -> SourceLocation {
        SourceLocation(file: file, line: view.line(node), column: view.column(node))
    }
    @inline(__always) public func isQuoted(_ node: Index) -> Bool { view.isQuoted(node) }
    public func string(_ node: Index) -> String { view.string(node) }
    public func scalar(_ node: Index, equals literal: StaticString) -> Bool { view.scalar(node, equals: literal) }
    public func pairs(_ node: Index) -> NodeView.PairSequence { view.pairs(node) }
    public func items(_ node: Index) -> UnsafeBufferPointer<Index> { view.items(node) }
    public func count(_ node: Index) -> Int { view.count(node) }
    public func value(_ node: Index, forKey key: String) -> Index? { view.value(node, forKey: key) }
}

/// Read access to a tree's buffers without reference counting. Valid while its tree lives.
public struct NodeView {
    public typealias Index = NodeTree.Index
    let records: UnsafeBufferPointer<NodeStorage.Record>
    let children: UnsafeBufferPointer<Index>
    let text: UnsafeBufferPointer<UInt8>

    @inline(__always) func kind(_ node: Index) -> NodeTree.Kind { records[Int(node)].kind }
    @inline(__always) func isQuoted(_ node: Index) -> Bool { records[Int(node)].isQuoted }
    @inline(__always) func line(_ node: Index) -> Int { Int(records[Int(node)].line) }
    @inline(__always) func column(_ node: Index) -> Int { Int(records[Int(node)].column) }

    func string(_ node: Index) -> String {
        let record = records[Int(node)]
        guard record.kind == .scalar, record.count > 0 else { return "" }
        return String(
            decoding: UnsafeBufferPointer(start: text.baseAddress! + Int(record.start), count: Int(record.count)),
            as: UTF8.self)
    }

    @inline(__always) func bytes(_ node: Index) -> UnsafeBufferPointer<UInt8> {
        let record = records[Int(node)]
        guard record.kind == .scalar, record.count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text.baseAddress! + Int(record.start), count: Int(record.count))
    }

    func scalar(_ node: Index, equals literal: StaticString) -> Bool {
        let record = records[Int(node)]
        guard record.kind == .scalar, Int(record.count) == literal.utf8CodeUnitCount else { return false }
        return record.count == 0 || memcmp(text.baseAddress! + Int(record.start), literal.utf8Start, Int(record.count)) == 0
    }

    func pairs(_ node: Index) -> PairSequence {
        let record = records[Int(node)]
        guard record.kind == .mapping, record.count > 0 else { return PairSequence(base: nil, count: 0) }
        return PairSequence(base: children.baseAddress! + Int(record.start), count: Int(record.count))
    }

    func items(_ node: Index) -> UnsafeBufferPointer<Index> {
        let record = records[Int(node)]
        guard record.kind == .sequence, record.count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: children.baseAddress! + Int(record.start), count: Int(record.count))
    }

    func count(_ node: Index) -> Int {
        let record = records[Int(node)]
        switch record.kind {
        case .scalar: return 0
        case .sequence: return Int(record.count)
        case .mapping: return Int(record.count) / 2
        }
    }

    func value(_ node: Index, forKey key: String) -> Index? {
        var key = key
        return key.withUTF8 { wanted in
            for pair in pairs(node) {
                let record = records[Int(pair.key)]
                guard record.kind == .scalar, Int(record.count) == wanted.count else { continue }
                if wanted.count == 0 || memcmp(text.baseAddress! + Int(record.start), wanted.baseAddress!, wanted.count) == 0 {
                    return pair.value
                }
            }
            return nil
        }
    }

    public struct PairSequence: Sequence {
        let base: UnsafePointer<Index>?
        let count: Int

        public struct Iterator: IteratorProtocol {
            var position: Int
            let base: UnsafePointer<Index>?
            let count: Int

            public mutating func next() -> (key: Index, value: Index)? {
                guard position < count, let base else { return nil }
                defer { position += 2 }
                return (base[position], base[position + 1])
            }
        }

        public func makeIterator() -> Iterator { Iterator(position: 0, base: base, count: count) }
        public var underestimatedCount: Int { count / 2 }
    }
}

/// The arrays behind a `NodeTree`, filled by `TreeBuilder`.
public struct NodeStorage: Sendable {
    public typealias Index = NodeTree.Index
    public typealias Kind = NodeTree.Kind

    struct Record: BitwiseCopyable {
        var kind: Kind
        /// For scalars: the text was quoted or explicitly tagged, so it is a string whatever it spells.
        var isQuoted: Bool
        var line: UInt32
        var column: UInt32
        /// Scalars: offset into `text`. Containers: offset into `children`.
        var start: UInt32
        /// Scalars: byte length. Sequences: item count. Mappings: key and value count (twice the pairs).
        var count: UInt32
    }

    public let file: String
    let records: NodeBuffer<Record>
    let children: NodeBuffer<Index>
    let text: NodeBuffer<UInt8>

    /// Sized from the input: a node takes at least a few bytes of source, so a YAML or JSON
    /// document rarely holds more nodes than a fifth of its bytes.
    init(file: String, expectedBytes: Int = 0) {
        self.file = file
        records = NodeBuffer(capacity: expectedBytes / 5)
        children = NodeBuffer(capacity: expectedBytes / 5)
        text = NodeBuffer(capacity: expectedBytes)
    }

    init(file: String, records: NodeBuffer<Record>, children: NodeBuffer<Index>, text: NodeBuffer<UInt8>) {
        self.file = file
        self.records = records
        self.children = children
        self.text = text
    }

    /// Reads the arrays as they are now; valid until the next append.
    var view: NodeView { NodeView(records: records.buffer, children: children.buffer, text: text.buffer) }

    @inline(__always)
    public func kind(_ node: Index) -> Kind { records[Int(node)].kind }

    public func location(_ node: Index) -> SourceLocation {
        let record = records[Int(node)]
        return SourceLocation(file: file, line: Int(record.line), column: Int(record.column))
    }

    /// The text of a scalar; empty for containers.
    public func string(_ node: Index) -> String { view.string(node) }

    /// Compares a scalar's bytes with `literal` without building a String.
    public func scalar(_ node: Index, equals literal: StaticString) -> Bool { view.scalar(node, equals: literal) }

    /// Mapping entries in source order.
    public func pairs(_ node: Index) -> NodeView.PairSequence { view.pairs(node) }

    /// Sequence items in source order.
    public func items(_ node: Index) -> UnsafeBufferPointer<Index> { view.items(node) }

}
