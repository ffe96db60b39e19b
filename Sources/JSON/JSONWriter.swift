/// Writes compact JSON text into a byte array.
///
/// Error bodies (`{"detail": ...}`) and `JSONValue`s are written with this instead of
/// `JSONEncoder`: no boxing, no key sorting, one buffer. The output matches Starlette's
/// `JSONResponse` (`ensure_ascii=False`, separators `,` and `:`), so non-ASCII text is written as
/// UTF-8 and `/` is not escaped.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    @inlinable
    public init(capacity: Int = 128) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var string: String { String(decoding: self.bytes, as: UTF8.self) }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: self.writeRaw("null")
        case .bool(let value): self.writeRaw(value ? "true" : "false")
        case .integer(let value): self.write(integer: value)
        case .double(let value): self.write(double: value)
        case .string(let value): self.write(string: value)
        case .array(let elements):
            self.bytes.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.write(element)
            }
            self.bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            self.bytes.append(UInt8(ascii: "{"))
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { self.bytes.append(UInt8(ascii: ",")) }
                self.write(string: member.key)
                self.bytes.append(UInt8(ascii: ":"))
                self.write(member.value)
            }
            self.bytes.append(UInt8(ascii: "}"))
        }
    }

    @inlinable
    public mutating func writeRaw(_ text: StaticString) {
        self.bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    public mutating func write(integer: Int) {
        if integer >= 0, integer < 10 {
            self.bytes.append(UInt8(ascii: "0") + UInt8(integer))
            return
        }
        self.bytes.append(contentsOf: String(integer).utf8)
    }

    /// Python's `repr` for floats, which is also Swift's shortest round-trip description; JSON has
    /// no NaN or infinity, so those become `null`.
    public mutating func write(double: Double) {
        guard double.isFinite else {
            self.writeRaw("null")
            return
        }
        self.bytes.append(contentsOf: double.description.utf8)
    }

    public mutating func write(string: String) {
        self.bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): self.writeRaw("\\\"")
                case UInt8(ascii: "\\"): self.writeRaw("\\\\")
                case 0x0A: self.writeRaw("\\n")
                case 0x0D: self.writeRaw("\\r")
                case 0x09: self.writeRaw("\\t")
                case 0x08: self.writeRaw("\\b")
                case 0x0C: self.writeRaw("\\f")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    self.writeRaw("\\u00")
                    self.bytes.append(hex[Int(byte >> 4)])
                    self.bytes.append(hex[Int(byte & 0xF)])
                }
            }
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }
}
