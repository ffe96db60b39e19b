#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parsed YAML or JSON file, stored flat: one record per node and one byte buffer for all
/// scalar text. A document of several megabytes becomes a handful of arrays instead of
/// hundreds of thousands of small objects, which keeps loading fast and memory near the
/// size of the source. Aliases share their anchor's node, so the tree is a DAG.
public final class NodeTree: Sendable {
    public enum Kind: UInt8, Sendable {
        case scalar
        case sequence
        case mapping
    }

    /// The index of a node in its tree.
    public typealias Index = UInt32

    let storage: NodeStorage
    public let root: Index?
    public var file: String { storage.file }
    public var nodeCount: Int { storage.records.count }

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

    init(storage: NodeStorage, root: Index?) {
        self.storage = storage
        self.root = root
    }

    @inline(__always) public func kind(_ node: Index) -> Kind { storage.kind(node) }
    public func location(_ node: Index) -> SourceLocation { storage.location(node) }
    @inline(__always) public func isQuoted(_ node: Index) -> Bool { storage.isQuoted(node) }
    public func string(_ node: Index) -> String { storage.string(node) }
    public func scalar(_ node: Index, equals literal: StaticString) -> Bool { storage.scalar(node, equals: literal) }
    public func pairs(_ node: Index) -> NodeStorage.PairSequence { storage.pairs(node) }
    public func items(_ node: Index) -> ArraySlice<Index> { storage.items(node) }
    public func count(_ node: Index) -> Int { storage.count(node) }
    public func value(_ node: Index, forKey key: String) -> Index? { storage.value(node, forKey: key) }
}

/// The arrays behind a `NodeTree`, filled by `TreeBuilder`.
public struct NodeStorage: Sendable {
    public typealias Index = NodeTree.Index
    public typealias Kind = NodeTree.Kind

    struct Record {
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
    var records: [Record] = []
    var children: [Index] = []
    var text: [UInt8] = []

    init(file: String) {
        self.file = file
    }

    @inline(__always)
    public func kind(_ node: Index) -> Kind { records[Int(node)].kind }

    public func location(_ node: Index) -> SourceLocation {
        let record = records[Int(node)]
        return SourceLocation(file: file, line: Int(record.line), column: Int(record.column))
    }

    @inline(__always)
    public func isQuoted(_ node: Index) -> Bool { records[Int(node)].isQuoted }

    /// The text of a scalar; empty for containers.
    public func string(_ node: Index) -> String {
        let record = records[Int(node)]
        guard record.kind == .scalar else { return "" }
        return text.withUnsafeBufferPointer { buffer in
            String(
                decoding: UnsafeBufferPointer(rebasing: buffer[Int(record.start)..<Int(record.start + record.count)]),
                as: UTF8.self)
        }
    }

    /// Compares a scalar's bytes with `literal` without building a String.
    public func scalar(_ node: Index, equals literal: StaticString) -> Bool {
        let record = records[Int(node)]
        guard record.kind == .scalar, Int(record.count) == literal.utf8CodeUnitCount else { return false }
        return text.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress! + Int(record.start)
            let other = literal.utf8Start
            for offset in 0..<Int(record.count) where base[offset] != other[offset] { return false }
            return true
        }
    }

    /// Mapping entries in source order.
    public func pairs(_ node: Index) -> PairSequence {
        let record = records[Int(node)]
        guard record.kind == .mapping else { return PairSequence(slice: children[0..<0]) }
        return PairSequence(slice: children[Int(record.start)..<Int(record.start + record.count)])
    }

    /// Sequence items in source order.
    public func items(_ node: Index) -> ArraySlice<Index> {
        let record = records[Int(node)]
        guard record.kind == .sequence else { return children[0..<0] }
        return children[Int(record.start)..<Int(record.start + record.count)]
    }

    /// The number of items of a sequence or pairs of a mapping.
    public func count(_ node: Index) -> Int {
        let record = records[Int(node)]
        switch record.kind {
        case .scalar: return 0
        case .sequence: return Int(record.count)
        case .mapping: return Int(record.count) / 2
        }
    }

    /// The value stored under `key` in a mapping, compared as bytes.
    public func value(_ node: Index, forKey key: String) -> Index? {
        var key = key
        return key.withUTF8 { wanted in
            text.withUnsafeBufferPointer { buffer in
                for pair in pairs(node) {
                    let record = records[Int(pair.key)]
                    guard record.kind == .scalar, Int(record.count) == wanted.count else { continue }
                    if wanted.count == 0 || memcmp(buffer.baseAddress! + Int(record.start), wanted.baseAddress!, wanted.count) == 0 {
                        return pair.value
                    }
                }
                return nil
            }
        }
    }

    public struct PairSequence: Sequence {
        let slice: ArraySlice<Index>

        public struct Iterator: IteratorProtocol {
            var position: Int
            let end: Int
            let slice: ArraySlice<Index>

            public mutating func next() -> (key: Index, value: Index)? {
                guard position < end else { return nil }
                defer { position += 2 }
                return (slice[position], slice[position + 1])
            }
        }

        public func makeIterator() -> Iterator {
            Iterator(position: slice.startIndex, end: slice.endIndex, slice: slice)
        }

        public var underestimatedCount: Int { slice.count / 2 }
    }
}
