/// A JSON reader that fills the same `NodeTree` as the YAML reader, with exact positions.
/// JSON documents are parsed here rather than by libyaml: it is several times faster on
/// large machine-written descriptions and reports JSON's own errors.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var builder: TreeBuilder
    private var scratch: [UInt8] = []

    private struct Failure: Error {}

    static func parse(_ bytes: [UInt8], file: String, limits: ParseLimits) -> (NodeTree, DiagnosticLog) {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, builder: TreeBuilder(file: file, limits: limits, expectedBytes: buffer.count))
            parser.run()
            return parser.builder.finish()
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, builder: TreeBuilder) {
        self.bytes = bytes
        self.builder = builder
    }

    /// Columns count characters, as libyaml's do; counted incrementally along each line so
    /// a minified document on one line stays linear.
    private var columnCache = (lineStart: -1, position: 0, column: 1)

    private var column: Int {
        mutating get {
            if columnCache.lineStart != lineStart || columnCache.position > position {
                columnCache = (lineStart, lineStart, 1)
            }
            var column = columnCache.column
            var index = columnCache.position
            while index < position {
                if bytes[index] & 0xC0 != 0x80 { column += 1 }
                index += 1
            }
            columnCache = (lineStart, position, column)
            return column
        }
    }

    private mutating func run() {
        do {
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0xEF, position + 2 < bytes.count,
                bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF
            {
                position += 3
            }
            try parseValues()
            skipWhitespace()
            if position < bytes.count {
                try fail("unexpected '\(printable(bytes[position]))' after the end of the JSON value")
            }
        } catch {}
    }

    /// Values are parsed with an explicit stack of open containers so deep nesting
    /// is bounded by the limits, not by the thread's stack.
    private mutating func parseValues() throws {
        enum Container { case array, object }
        var stack: [Container] = []
        skipWhitespace()
        guard position < bytes.count else { return }
        var expectValue = true
        while true {
            skipWhitespace()
            if expectValue {
                if stack.last == .object {
                    // A key, then a colon.
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        try fail(position < bytes.count ? "expected a string key" : "unexpected end of file, expected a key")
                    }
                    try parseString()
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                        try fail("expected ':' after the key")
                    }
                    position += 1
                    skipWhitespace()
                }
                guard position < bytes.count else { try fail("unexpected end of file, expected a value") }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = byte == UInt8(ascii: "{")
                    builder.begin(isObject ? .mapping : .sequence, line: line, column: column)
                    if builder.failed { throw Failure() }
                    position += 1
                    stack.append(isObject ? .object : .array)
                    skipWhitespace()
                    let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if position < bytes.count, bytes[position] == close {
                        position += 1
                        builder.end()
                        stack.removeLast()
                        expectValue = false
                    } else {
                        expectValue = true
                    }
                    if builder.failed { throw Failure() }
                    if stack.isEmpty { return }
                    continue
                case UInt8(ascii: "\""):
                    try parseString()
                default:
                    try parseLiteral()
                }
                if stack.isEmpty { return }
                expectValue = false
            } else {
                guard position < bytes.count else {
                    try fail("unexpected end of file, expected '\(stack.last == .object ? "}" : "]")'")
                }
                let byte = bytes[position]
                let close = stack.last == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if byte == UInt8(ascii: ",") {
                    position += 1
                    expectValue = true
                } else if byte == close {
                    position += 1
                    builder.end()
                    if builder.failed { throw Failure() }
                    stack.removeLast()
                    if stack.isEmpty { return }
                } else {
                    try fail("expected ',' or '\(printable(close))', found '\(printable(byte))'")
                }
            }
        }
    }

    private mutating func parseString() throws {
        let startLine = line
        let startColumn = column
        position += 1
        scratch.removeAll(keepingCapacity: true)
        var runStart = position
        while true {
            guard position < bytes.count else {
                try fail("unterminated string starting at line \(startLine), column \(startColumn)")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try appendRun(from: runStart)
                position += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                try appendRun(from: runStart)
                try parseEscape()
                runStart = position
                continue
            }
            if byte < 0x20 {
                try fail("control character U+\(hex(byte)) inside a string; escape it")
            }
            position += 1
        }
        scratch.withUnsafeBufferPointer { builder.scalar($0, quoted: true, line: startLine, column: startColumn) }
    }

    /// Copies raw string bytes, checking them as UTF-8 so a bad byte is reported where it is.
    private mutating func appendRun(from start: Int) throws {
        let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if run.contains(where: { $0 >= 0x80 }), let bad = firstInvalidUTF8(run) {
            position = start + bad
            try fail("string is not valid UTF-8")
        }
        scratch.append(contentsOf: run)
    }

    private func firstInvalidUTF8(_ run: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index < run.count {
            let byte = run[index]
            let length: Int
            switch byte {
            case 0x00..<0x80: length = 1
            case 0xC2..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF5: length = 4
            default: return index
            }
            guard index + length <= run.count else { return index }
            for offset in 1..<length where run[index + offset] & 0xC0 != 0x80 { return index }
            if length == 3 {
                let second = run[index + 1]
                if (byte == 0xE0 && second < 0xA0) || (byte == 0xED && second >= 0xA0) { return index }
            } else if length == 4 {
                let second = run[index + 1]
                if (byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second >= 0x90) { return index }
            }
            index += length
        }
        return nil
    }

    private mutating func parseEscape() throws {
        position += 1
        guard position < bytes.count else { try fail("unexpected end of file in an escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hexQuad()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00..<0xE000).contains(scalar) {
                scalar = 0xFFFD
            }
            scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
        default:
            position -= 1
            try fail("invalid escape '\\\(printable(byte))'")
        }
    }

    private mutating func hexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { try fail("unexpected end of file in a \\u escape") }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: try fail("invalid hex digit '\(printable(byte))' in a \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func parseLiteral() throws {
        let start = position
        let startColumn = column
        while position < bytes.count, isLiteralByte(bytes[position]) { position += 1 }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
        guard !literal.isEmpty else {
            try fail("unexpected '\(printable(bytes[start]))', expected a value")
        }
        guard isJSONLiteral(literal) else {
            position = start
            try fail("invalid literal '\(String(decoding: literal, as: UTF8.self))'; strings need double quotes")
        }
        builder.scalar(literal, quoted: false, line: line, column: startColumn)
    }

    private func isLiteralByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    private func isJSONLiteral(_ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = String(decoding: literal, as: UTF8.self)
        if text == "true" || text == "false" || text == "null" { return true }
        return ScalarValue.isJSONNumber(text)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                lineStart = position
            default:
                return
            }
        }
    }

    private mutating func fail(_ message: String) throws -> Never {
        builder.fail(message, line: line, column: column)
        throw Failure()
    }

    private func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(hex(byte))}"
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
