import COpenSSL

/// Message digests through OpenSSL, for storing secrets such as refresh
/// tokens by their hash rather than in the clear.
public enum Digest {
    /// Fetched once: with `EVP_sha256()` OpenSSL 3 fetches the implementation by name again in
    /// every `EVP_Digest` (0.76 against 0.36 µs for 200 bytes, measured in C on one thread), and
    /// an ETag takes one per conditional GET. A fetched algorithm is immutable and shared freely
    /// between threads.
    private static nonisolated(unsafe) let sha256Algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()

    /// The SHA-256 digest (32 bytes) of `bytes`.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, sha256Algorithm, length: 32, name: "SHA-256")
    }

    /// The SHA-1 digest (20 bytes) of `bytes`: what Redis names a script by (`EVALSHA`), not a
    /// protection of anything.
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, EVP_sha1(), length: 20, name: "SHA-1")
    }

    private static func digest(
        _ bytes: some Collection<UInt8>, _ algorithm: OpaquePointer?, length: Int, name: String
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        let run = { (input: UnsafeBufferPointer<UInt8>) in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                EVP_Digest(input.baseAddress, input.count, outputBuffer.baseAddress, &outputLength, algorithm, nil)
            }
        }
        let status = bytes.withContiguousStorageIfAvailable(run) ?? Array(bytes).withUnsafeBufferPointer(run)
        // EVP_Digest with a built-in algorithm fails only when OpenSSL cannot
        // allocate; continuing with a zeroed digest would silently make every
        // stored token collide, which is worse than stopping.
        precondition(status == 1 && Int(outputLength) == length, "OpenSSL EVP_Digest(\(name)) failed")
        return Array(output.prefix(length))
    }

    /// Lowercase hexadecimal SHA-256 of the string's UTF-8 bytes (64 characters),
    /// the same text as Python's `hashlib.sha256(s.encode()).hexdigest()`.
    public static func sha256Hex(_ string: String) -> String {
        hex(sha256(string.utf8))
    }

    /// Lowercase hexadecimal, two digits per byte.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
