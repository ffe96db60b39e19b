/// Pretty-printed JSON built as bytes. Scalars are copied straight from the trees' text
/// buffers, escaped in runs, so a 10 MB document costs one pass and no String per node.
struct JSONTextBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    @inline(__always) mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// A line break and the indentation of `depth` (two spaces a level).
    mutating func newline(depth: Int) {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    mutating func appendQuoted(_ text: String) {
        var text = text
        text.withUTF8 { appendQuoted($0) }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest copied.
    mutating func appendQuoted(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<text.count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A YAML scalar typed by the 1.2 core schema (`ScalarValue`): quoted text is always a
    /// string, integers stay integers and floats print in Swift's shortest form that reads
    /// back to the same Double (`1.0` stays a float, `1e-05` keeps its value).
    mutating func appendScalar(_ text: UnsafeBufferPointer<UInt8>, quoted: Bool) {
        if quoted { return appendQuoted(text) }
        guard let first = text.first else { return append("null") }
        // Most plain scalars are words; only these first bytes can start a non-string.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"),
            UInt8(ascii: "F"), UInt8(ascii: "~"):
            break
        default:
            return appendQuoted(text)
        }
        if first >= UInt8(ascii: "A"), text.count > 5 { return appendQuoted(text) }
        let string = String(decoding: text, as: UTF8.self)
        switch ScalarValue.resolve(string, quoted: false) {
        case .null: append("null")
        case .bool(let value): append(value ? "true" : "false")
        case .integer(let value): append(String(value))
        case .number(let value):
            if ScalarValue.isInteger(string), ScalarValue.isJSONNumber(string) {
                // Too large for Int: the digits as written lose nothing.
                append(string)
            } else if value.isFinite {
                append(value.description)
            } else {
                // JSON has no infinity or NaN; the text keeps what the author meant.
                appendQuoted(text)
            }
        case .string: appendQuoted(text)
        }
    }
}
