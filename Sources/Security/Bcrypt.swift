import CCrypt
import COpenSSL

/// The libcrypt (libxcrypt) calls behind `PasswordHasher`'s bcrypt, using only the
/// reentrant `_rn` functions so any number of threads can hash at once.
enum Bcrypt {
    static let saltByteCount = 16

    /// The `$2b$NN$<salt>` setting for `crypt_rn`, salted with `randomBytes`.
    static func setting(cost: Int, randomBytes: [UInt8]) -> String? {
        var output = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let result = randomBytes.withUnsafeBufferPointer { random in
            output.withUnsafeMutableBufferPointer { buffer in
                random.withMemoryRebound(to: CChar.self) { randomChars in
                    crypt_gensalt_rn(
                        "$2b$", UInt(cost), randomChars.baseAddress, Int32(randomChars.count),
                        buffer.baseAddress, Int32(buffer.count))
                }
            }
        }
        guard result != nil else { return nil }
        return output.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `crypt_rn(password, setting)`; `nil` when libcrypt rejects the setting.
    static func crypt(_ password: String, setting: String) -> String? {
        // struct crypt_data is 32 KiB: too big for the small stacks of worker
        // and cooperative threads, so it lives on the heap.
        let size = MemoryLayout<crypt_data>.size
        let workspace = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        // crypt_rn requires the `initialized` field zeroed; zeroing everything
        // also keeps stale data from another call out of this one.
        workspace.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            // The workspace holds password-derived key schedule state.
            OPENSSL_cleanse(workspace, size)
            workspace.deallocate()
        }
        guard let result = crypt_rn(password, setting, workspace, Int32(size)) else { return nil }
        let hash = String(cString: result)
        return hash.hasPrefix("$2") ? hash : nil
    }

    /// Whether `hash` is a bcrypt hash in the modular crypt format
    /// (`$2a$`, `$2b$` or `$2y$`, two-digit cost 04...31, 53 characters of
    /// salt and digest). Anything else, including other crypt schemes that
    /// libcrypt would happily run, is not accepted as a stored hash.
    static func isWellFormed(_ hash: String) -> Bool {
        parse(hash) != nil
    }

    /// The variant letter and cost of a well-formed hash.
    static func parse(_ hash: String) -> (variant: UInt8, cost: Int)? {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60,
            bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
            bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
            let tens = digit(bytes[4]), let units = digit(bytes[5])
        else { return nil }
        let cost = tens * 10 + units
        guard PasswordHasher.bcryptCostRange.contains(cost),
            bytes[7...].allSatisfy(isBcryptBase64)
        else { return nil }
        return (bytes[2], cost)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func isBcryptBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "/"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }
}
