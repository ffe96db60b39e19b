/// Base64 without padding over a given alphabet: base64url for JWTs
/// (RFC 4648 §5), the standard alphabet for PHC strings (argon2 hashes).
///
/// Decoding is strict on purpose: padding, foreign characters and non-zero
/// leftover bits are refused, so every byte string has exactly one accepted
/// spelling (a token cannot be altered in its unused bits while keeping a
/// valid signature; libargon2 refuses such a salt or hash too).
struct UnpaddedBase64: Sendable {
    static let url = UnpaddedBase64(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    static let standard = UnpaddedBase64(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    private let alphabet: [UInt8]
    /// The sextet of each byte, 0xFF for bytes outside the alphabet: one
    /// lookup per character instead of a chain of range checks.
    private let sextets: [UInt8]

    private init(alphabet: String) {
        self.alphabet = Array(alphabet.utf8)
        var sextets = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in self.alphabet.enumerated() { sextets[Int(character)] = UInt8(value) }
        self.sextets = sextets
    }

    func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            if second != nil { output.append(alphabet[Int(group >> 6 & 0x3F)]) }
            if third != nil { output.append(alphabet[Int(group & 0x3F)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func decode(_ text: some StringProtocol) -> [UInt8]? {
        let characters = Array(text.utf8)
        if characters.count % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in characters {
            let value = sextets[Int(character)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }
        return accumulator == 0 ? output : nil
    }
}
