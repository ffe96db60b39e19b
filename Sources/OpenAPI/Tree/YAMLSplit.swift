#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A place where a block-mapping YAML document can be cut so that the pieces parse on their
/// own: the start of a line holding a key of the root mapping (indentation 0), or of a mapping
/// that is the value of a root key (`paths:` then `  /pets:`).
///
/// Finding a cut only reads line starts; whether the cut really is one is decided after
/// parsing (`ChunkedYAMLParser`), which is what makes a wrong guess here harmless.
struct YAMLSplit: Equatable {
    /// The first byte of the line that starts the middle piece.
    var cut: Int
    /// The indentation of that line, which is the indentation of its mapping's keys.
    var indent: Int
    /// Where the root mapping resumes after the middle piece: the first later line indented
    /// less than `indent`, or the end of the input when nothing is.
    var resume: Int

    /// Deeper indentation means a nested mapping, which the merge does not handle.
    static let maxIndent = 8

    /// The first usable cut after `target`.
    static func find(in bytes: UnsafeBufferPointer<UInt8>, near target: Int) -> YAMLSplit? {
        var line = nextLineStart(in: bytes, after: target)
        // Indentation of the last line with content; a key right under its parent key is not a
        // cut, since the head would end with that parent holding nothing.
        var previousIndent: Int?
        while line < bytes.count {
            let indent = indentation(in: bytes, at: line)
            guard line + indent < bytes.count else { break }
            let first = bytes[line + indent]
            if isBlank(first) {
                line = nextLineStart(in: bytes, after: line)
                continue
            }
            if indent <= maxIndent, startsKey(first), let previous = previousIndent, indent == 0 || previous >= indent {
                if indent == 0 { return YAMLSplit(cut: line, indent: 0, resume: bytes.count) }
                switch resumption(in: bytes, after: line, indent: indent) {
                case .root(let resume): return YAMLSplit(cut: line, indent: indent, resume: resume)
                case .nested(let next):
                    // Go on from the shallower line, which is read as a candidate itself.
                    line = next
                    previousIndent = maxIndent + 1
                    continue
                case .unusable: return nil
                }
            }
            previousIndent = indent
            line = nextLineStart(in: bytes, after: line)
        }
        return nil
    }

    private enum Resumption {
        case root(Int)
        /// A line indented between 0 and `indent`: the cut was inside a deeper mapping.
        case nested(Int)
        case unusable
    }

    private static func resumption(in bytes: UnsafeBufferPointer<UInt8>, after cut: Int, indent: Int) -> Resumption {
        var line = nextLineStart(in: bytes, after: cut)
        while line < bytes.count {
            let spaces = indentation(in: bytes, at: line)
            if spaces < indent, line + spaces < bytes.count {
                let first = bytes[line + spaces]
                if !isBlank(first) {
                    if spaces > 0 { return .nested(line) }
                    return startsKey(first) ? .root(line) : .unusable
                }
            }
            line = nextLineStart(in: bytes, after: line)
        }
        return .root(bytes.count)
    }

    /// Characters that can start a plain or quoted key and nothing else YAML gives meaning to
    /// at the start of a line (no `-`, `?`, `#`, `&`, `*`, `!`, `%`, `.`, brackets or tabs).
    @inline(__always)
    private static func startsKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    /// A line with nothing but a comment, or nothing at all.
    @inline(__always)
    private static func isBlank(_ first: UInt8) -> Bool {
        first == UInt8(ascii: "\n") || first == UInt8(ascii: "\r") || first == UInt8(ascii: "#")
    }

    @inline(__always)
    private static func indentation(in bytes: UnsafeBufferPointer<UInt8>, at line: Int) -> Int {
        var index = line
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        return index - line
    }

    /// The start of the line after the one holding `offset`.
    private static func nextLineStart(in bytes: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int {
        guard offset < bytes.count, let base = bytes.baseAddress else { return bytes.count }
        guard let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
    }
}
