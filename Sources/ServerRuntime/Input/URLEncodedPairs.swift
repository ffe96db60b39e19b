/// `name=value&name=value` text, as query strings and `application/x-www-form-urlencoded`
/// bodies carry it, split and percent-decoded once.
///
/// Decoding follows Python's `parse_qsl`, which Starlette uses for both: `+` is a space, a
/// malformed escape stays as written, bytes that are not UTF-8 become U+FFFD. Pairs keep their
/// order; a repeated name appears once per occurrence.
public struct URLEncodedPairs: Sendable, RandomAccessCollection {
    public struct Pair: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public var pairs: [Pair]

    public init(_ pairs: [Pair] = []) {
        self.pairs = pairs
    }

    @inlinable public var startIndex: Int { self.pairs.startIndex }
    @inlinable public var endIndex: Int { self.pairs.endIndex }
    public subscript(position: Int) -> Pair { self.pairs[position] }

    /// Parses `text`; pairs with an empty value are kept unless `dropEmptyValues` (FastAPI drops
    /// them from forms, where an empty input means "not filled in").
    public static func parse(_ text: some StringProtocol, dropEmptyValues: Bool = false) -> URLEncodedPairs {
        var string = String(text)
        return string.withUTF8 { self.parse(bytes: $0, dropEmptyValues: dropEmptyValues) }
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>, dropEmptyValues: Bool = false) -> URLEncodedPairs {
        var pairs: [Pair] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "&"), bytes[end] != UInt8(ascii: ";") { end += 1 }
            if end > start {
                var equals = start
                while equals < end, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                let name = decode(UnsafeBufferPointer(rebasing: bytes[start..<equals]))
                let value = equals < end ? decode(UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end])) : ""
                if !(dropEmptyValues && value.isEmpty) {
                    pairs.append(Pair(name: name, value: value))
                }
            }
            start = end + 1
        }
        return URLEncodedPairs(pairs)
    }

    /// The value of the last pair called `name` (FastAPI reads a repeated scalar parameter this way).
    public func last(_ name: String) -> String? {
        self.pairs.last { $0.name == name }?.value
    }

    /// Every value of pairs called `name`, in order.
    public func all(_ name: String) -> [String] {
        self.pairs.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The pairs as a form object (every value a string).
    public var formObject: JSONObject {
        JSONObject(self.pairs.map { JSONObject.Member(key: $0.name, value: .string($0.value)) }, isForm: true)
    }

    /// Percent-decodes one component; text without `%` or `+` is copied as is.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                continue
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Percent-decodes text that has no `+` convention (path segments).
    static func decodePercentOnly(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexValue(utf8[index + 1]),
                let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
