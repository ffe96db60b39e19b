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
        withBytes(bytes) { digest($0, sha256Algorithm, length: 32, name: "SHA-256") }
    }

    /// The SHA-1 digest (20 bytes) of `bytes`: what Redis names a script by (`EVALSHA`), not a
    /// protection of anything.
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        withBytes(bytes) { digest($0, EVP_sha1(), length: 20, name: "SHA-1") }
    }

    /// Lowercase hexadecimal SHA-256 of the string's UTF-8 bytes (64 characters),
    /// the same text as Python's `hashlib.sha256(s.encode()).hexdigest()`.
    public static func sha256Hex(_ string: String) -> String {
        hex(sha256(string.utf8))
    }

    /// Lowercase hexadecimal, two digits per byte.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        withBytes(bytes) { hex($0) }
    }

    // The generic entry points above hand contiguous bytes to these concrete ones at once:
    // called from another module they run unspecialized, and iterating a collection through its
    // witnesses made an ETag's SHA-256 and hex digits 21,000 instructions of an uncached item
    // read (callgrind), against about 2,000 here.

    private static func withBytes<Result>(
        _ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        if let result = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(bytes).withUnsafeBytes(body)
    }

    private static func digest(
        _ input: UnsafeRawBufferPointer, _ algorithm: OpaquePointer?, length: Int, name: String
    ) -> [UInt8] {
        var outputLength: UInt32 = 0
        var status: Int32 = 0
        // `length` is the algorithm's own digest size, all EVP_Digest writes.
        let output = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            status = EVP_Digest(input.baseAddress, input.count, buffer.baseAddress, &outputLength, algorithm, nil)
            initialized = status == 1 ? Int(outputLength) : 0
        }
        // EVP_Digest with a built-in algorithm fails only when OpenSSL cannot
        // allocate; continuing with a zeroed digest would silently make every
        // stored token collide, which is worse than stopping.
        precondition(status == 1 && Int(outputLength) == length, "OpenSSL EVP_Digest(\(name)) failed")
        return output
    }

    private static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            for (index, byte) in bytes.enumerated() {
                output[2 * index] = hexDigit(byte >> 4)
                output[2 * index + 1] = hexDigit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
