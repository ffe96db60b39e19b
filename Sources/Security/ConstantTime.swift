import COpenSSL

/// Comparison of secrets (MACs, password hashes) through OpenSSL's
/// `CRYPTO_memcmp`, whose time does not depend on where the first difference
/// lies, so an attacker cannot discover a valid value byte by byte.
enum ConstantTime {
    /// Lengths are compared openly: they are public (fixed by the algorithm).
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
