#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// UUIDs in text: read in the forms pydantic accepts (hyphenated, 32 hex digits, braced,
/// `urn:uuid:`) with its error messages, and written lowercase as pydantic writes them
/// (Foundation's `uuidString` is uppercase).
public enum UUIDText {
    public struct Failure: Error, Sendable, Hashable {
        public var reason: String
    }

    public static func parse(_ text: some StringProtocol) -> Result<UUID, Failure> {
        var string = String(text)
        return string.withUTF8 { bytes in
            if let uuid = self.fastParse(bytes) { return .success(uuid) }
            return .failure(Failure(reason: self.reason(bytes)))
        }
    }

    /// Lowercase hyphenated text.
    public static func format(_ uuid: UUID) -> String {
        var bytes = [UInt8](repeating: 0, count: 36)
        self.write(uuid, into: &bytes, at: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ uuid: UUID, into bytes: inout [UInt8], at offset: Int) {
        let hex: StaticString = "0123456789abcdef"
        withUnsafeBytes(of: uuid.uuid) { raw in
            var position = offset
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    bytes[position] = UInt8(ascii: "-")
                    position += 1
                }
                bytes[position] = hex.utf8Start[Int(raw[index] >> 4)]
                bytes[position + 1] = hex.utf8Start[Int(raw[index] & 0x0F)]
                position += 2
            }
        }
    }

    private static func fastParse(_ input: UnsafeBufferPointer<UInt8>) -> UUID? {
        var bytes = input[...]
        if bytes.count == 45, bytes.prefix(9).elementsEqual("urn:uuid:".utf8) { bytes = bytes.dropFirst(9) }
        if bytes.count == 38, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") { bytes = bytes.dropFirst().dropLast() }
        let hyphenated = bytes.count == 36
        guard hyphenated || bytes.count == 32 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &raw) { out -> Bool in
            var index = bytes.startIndex
            for byteIndex in 0..<16 {
                if hyphenated, byteIndex == 4 || byteIndex == 6 || byteIndex == 8 || byteIndex == 10 {
                    guard bytes[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return false }
                out[byteIndex] = high << 4 | low
                index += 2
            }
            return true
        }
        return ok ? UUID(uuid: raw) : nil
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The uuid crate's explanation (what pydantic-core puts after "Input should be a valid UUID, ").
    private static func reason(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        for (offset, character) in text.enumerated() where !(character.isHexDigit || character == "-") {
            return "invalid character: found `\(character)` at \(offset)"
        }
        if text.contains("-") {
            let groups = text.split(separator: "-", omittingEmptySubsequences: false)
            if groups.count != 5 { return "invalid group count: expected 5, found \(groups.count)" }
            let expected = [8, 4, 4, 4, 12]
            for (index, group) in groups.enumerated() where group.count != expected[index] {
                return "invalid group length in group \(index): expected \(expected[index]), found \(group.count)"
            }
        }
        return "invalid length: found \(text.count)"
    }
}
