/// OpenSSL's generator could not produce bytes (it could not seed itself).
/// Callers must fail the operation: a weaker fallback would hand out
/// guessable tokens.
public struct SecureRandomError: Error, Sendable, Hashable, CustomStringConvertible {
    public init() {}
    public var description: String { "OpenSSL RAND_bytes failed: no secure randomness available" }
}
