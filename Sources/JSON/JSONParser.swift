/// A strict UTF-8 JSON parser (RFC 8259) over raw bytes, producing `JSONValue`.
///
/// Written by hand rather than going through `JSONDecoder` because the body must be validated
/// before it is typed (pydantic reports every bad field, `JSONDecoder` stops at the first), and
/// because it is about three times faster: strings without escapes are copied once, integers are
/// read without a detour through text, and nothing is boxed. Errors carry Python's messages and
/// character positions so the 422 matches FastAPI's.
public struct JSONParser {
    /// Nesting deeper than this is refused instead of recursing until the stack ends.
    public static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private var depth: Int

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.index = 0
        self.depth = 0
    }

    /// Parses one JSON document that fills `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("Extra data", at: parser.index)
        }
        return value
    }

    /// Parses a document held in any contiguous byte collection.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(JSONParseError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
    }

    /// Parses a document held in a String.
    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(string.utf8))
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard self.index < self.bytes.count else { throw self.error("Expecting value", at: self.index) }
        switch self.bytes[self.index] {
        case UInt8(ascii: "\""):
            return .string(try self.parseString())
        case UInt8(ascii: "{"):
            return try self.parseObject()
        case UInt8(ascii: "["):
            return try self.parseArray()
        case UInt8(ascii: "t"):
            try self.expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try self.parseNumber()
        default:
            throw self.error("Expecting value", at: self.index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw self.error("Expecting value", at: self.index) }
        let start = literal.utf8Start
        for offset in 0..<count where self.bytes[self.index + offset] != start[offset] {
            throw self.error("Expecting value", at: self.index)
        }
        self.index += count
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try self.enterContainer()
        self.index += 1  // {
        var members: [JSONObject.Member] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.index += 1
            self.depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            guard self.peek() == UInt8(ascii: "\"") else {
                throw self.error("Expecting property name enclosed in double quotes", at: self.index)
            }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: ":") else { throw self.error("Expecting ':' delimiter", at: self.index) }
            self.index += 1
            self.skipWhitespace()
            let value = try self.parseValue()
            members.append(JSONObject.Member(key: key, value: value))
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","):
                self.index += 1
                self.skipWhitespace()
            case UInt8(ascii: "}"):
                self.index += 1
                self.depth -= 1
                return .object(JSONObject(members))
            default:
                throw self.error("Expecting ',' delimiter", at: self.index)
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try self.enterContainer()
        self.index += 1  // [
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "]") {
            self.index += 1
            self.depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try self.parseValue())
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","):
                self.index += 1
                self.skipWhitespace()
            case UInt8(ascii: "]"):
                self.index += 1
                self.depth -= 1
                return .array(elements)
            default:
                throw self.error("Expecting ',' delimiter", at: self.index)
            }
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        self.depth += 1
        if self.depth > Self.maximumDepth {
            throw self.error("Maximum nesting depth exceeded", at: self.index)
        }
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = self.index
        var cursor = quote + 1
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while cursor < self.bytes.count {
            let byte = self.bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: self.bytes[(quote + 1)..<cursor])
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw self.error("Invalid UTF-8", at: quote, kind: .invalidUTF8)
                }
                self.index = cursor + 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw self.error("Invalid control character at", at: cursor) }
            cursor += 1
        }
        if cursor >= self.bytes.count { throw self.error("Unterminated string starting at", at: quote) }
        return try self.parseEscapedString(quote: quote, from: cursor)
    }

    private mutating func parseEscapedString(quote: Int, from escapeStart: Int) throws(JSONParseError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(escapeStart - quote + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[(quote + 1)..<escapeStart]))
        var cursor = escapeStart
        while cursor < self.bytes.count {
            let byte = self.bytes[cursor]
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = buffer.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) else {
                    throw self.error("Invalid UTF-8", at: quote, kind: .invalidUTF8)
                }
                self.index = cursor + 1
                return string
            case UInt8(ascii: "\\"):
                guard cursor + 1 < self.bytes.count else { throw self.error("Unterminated string starting at", at: quote) }
                let escaped = self.bytes[cursor + 1]
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escaped)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = self.hexQuad(at: cursor + 2) else {
                        throw self.error("Invalid \\uXXXX escape", at: cursor)
                    }
                    var consumed = 6
                    if (0xD800...0xDBFF).contains(scalar), cursor + 12 <= self.bytes.count,
                        self.bytes[cursor + 6] == UInt8(ascii: "\\"), self.bytes[cursor + 7] == UInt8(ascii: "u"),
                        let low = self.hexQuad(at: cursor + 8), (0xDC00...0xDFFF).contains(low)
                    {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        consumed = 12
                    }
                    // A lone surrogate cannot be UTF-8; Python keeps it, Swift cannot, so it
                    // becomes U+FFFD rather than failing the request.
                    let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    buffer.append(contentsOf: String(Character(unicode)).utf8)
                    cursor += consumed
                    continue
                default:
                    throw self.error("Invalid \\escape", at: cursor)
                }
                cursor += 2
            default:
                if byte < 0x20 { throw self.error("Invalid control character at", at: cursor) }
                buffer.append(byte)
                cursor += 1
            }
        }
        throw self.error("Unterminated string starting at", at: quote)
    }

    private func hexQuad(at start: Int) -> UInt32? {
        guard start + 4 <= self.bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = self.bytes[start + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = self.index
        var cursor = start
        var negative = false
        if self.bytes[cursor] == UInt8(ascii: "-") {
            negative = true
            cursor += 1
        }
        guard cursor < self.bytes.count, Self.isDigit(self.bytes[cursor]) else {
            throw self.error("Expecting value", at: start)
        }
        // Integer part: a lone 0, or digits not starting with 0 (Python stops after the 0 and
        // then reports "Extra data").
        var magnitude: UInt64 = 0
        var overflow = false
        if self.bytes[cursor] == UInt8(ascii: "0") {
            cursor += 1
        } else {
            while cursor < self.bytes.count, Self.isDigit(self.bytes[cursor]) {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(self.bytes[cursor] - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = sum
                cursor += 1
            }
        }
        var isInteger = true
        if cursor + 1 < self.bytes.count, self.bytes[cursor] == UInt8(ascii: "."), Self.isDigit(self.bytes[cursor + 1]) {
            isInteger = false
            cursor += 2
            while cursor < self.bytes.count, Self.isDigit(self.bytes[cursor]) { cursor += 1 }
        }
        if cursor < self.bytes.count, self.bytes[cursor] | 0x20 == UInt8(ascii: "e") {
            var exponent = cursor + 1
            if exponent < self.bytes.count, self.bytes[exponent] == UInt8(ascii: "+") || self.bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if exponent < self.bytes.count, Self.isDigit(self.bytes[exponent]) {
                isInteger = false
                cursor = exponent
                while cursor < self.bytes.count, Self.isDigit(self.bytes[cursor]) { cursor += 1 }
            }
        }
        self.index = cursor
        if isInteger, !overflow {
            if negative {
                if magnitude <= UInt64(Int.max) { return .integer(-Int(magnitude)) }
                if magnitude == UInt64(Int.max) + 1 { return .integer(Int.min) }
            } else if magnitude <= UInt64(Int.max) {
                return .integer(Int(magnitude))
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<cursor]), as: UTF8.self)
        return .double(Double(text) ?? (negative ? -.infinity : .infinity))
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Helpers

    @inline(__always)
    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x0A, 0x0D, 0x09: self.index += 1
            default: return
            }
        }
    }

    private func error(_ message: String, at offset: Int, kind: JSONParseError.Kind = .syntax) -> JSONParseError {
        // Python counts characters, not bytes: count the bytes that start a UTF-8 sequence.
        var characters = 0
        for position in 0..<min(offset, self.bytes.count) where self.bytes[position] & 0xC0 != 0x80 {
            characters += 1
        }
        return JSONParseError(kind: kind, message: message, byteOffset: offset, characterOffset: characters)
    }
}
