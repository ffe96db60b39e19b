#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the keyword a mapping key spells from the key's bytes, without building a String.
/// Switching over String literals compares the key with each case in turn, and schema objects,
/// the most numerous objects of a large description, know some forty keywords.
struct KeywordTable<Keyword: Sendable>: Sendable {
    /// Keywords longer than this are not looked up.
    static var maxLength: Int { 32 }

    private struct Entry: Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64)
        var keyword: Keyword
    }

    /// Entries ordered by length; `ranges[n]` holds those of length n.
    private let entries: [Entry]
    private let ranges: [Range<Int>]

    init(_ spellings: [(String, Keyword)]) {
        let sorted = spellings.sorted { $0.0.utf8.count < $1.0.utf8.count }
        var entries: [Entry] = []
        var ranges = Array(repeating: 0..<0, count: Self.maxLength + 1)
        for (spelling, keyword) in sorted {
            var bytes = Array(spelling.utf8)
            precondition(bytes.count <= Self.maxLength, "keyword '\(spelling)' is too long for the table")
            let length = bytes.count
            let words = bytes.withUnsafeMutableBufferPointer { Self.words(UnsafeBufferPointer($0)) }
            if ranges[length].isEmpty { ranges[length] = entries.count..<entries.count }
            entries.append(Entry(words: words, keyword: keyword))
            ranges[length] = ranges[length].lowerBound..<entries.count
        }
        self.entries = entries
        self.ranges = ranges
    }

    func keyword(_ key: UnsafeBufferPointer<UInt8>) -> Keyword? {
        guard key.count <= Self.maxLength else { return nil }
        let range = ranges[key.count]
        guard !range.isEmpty else { return nil }
        let words = Self.words(key)
        for index in range {
            let entry = entries[index]
            if entry.words.0 == words.0 && entry.words.1 == words.1 && entry.words.2 == words.2 && entry.words.3 == words.3 {
                return entry.keyword
            }
        }
        return nil
    }

    /// The key's bytes zero-padded to 32, read as four words.
    @inline(__always)
    private static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        if let base = key.baseAddress, !key.isEmpty {
            withUnsafeMutableBytes(of: &words) { _ = memcpy($0.baseAddress!, base, key.count) }
        }
        return words
    }
}
