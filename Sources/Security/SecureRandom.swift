import COpenSSL

/// Cryptographically secure random bytes and tokens from OpenSSL's DRBG.
public enum SecureRandom {
    public static func bytes(count: Int) throws(SecureRandomError) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        guard count > 0 else { return [] }
        guard let length = Int32(exactly: count) else { throw SecureRandomError() }
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, length) }
        guard status == 1 else { throw SecureRandomError() }
        return output
    }

    /// A base64url string without padding carrying `byteCount` random bytes
    /// (32 bytes → 43 characters, 256 bits), safe in URLs, headers and cookies;
    /// the same shape as Python's `secrets.token_urlsafe(byteCount)`.
    public static func urlSafeToken(byteCount: Int = 32) throws(SecureRandomError) -> String {
        Base64URL.encode(try bytes(count: byteCount))
    }

    /// Lowercase hexadecimal of `byteCount` random bytes (16 bytes → 32 characters).
    public static func hexToken(byteCount: Int = 16) throws(SecureRandomError) -> String {
        Digest.hex(try bytes(count: byteCount))
    }
}
