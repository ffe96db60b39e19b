import COpenSSL

/// HMAC-SHA-256 through OpenSSL's one-shot `HMAC()`, the only MAC a token
/// codec needs; the one-shot call is not deprecated in OpenSSL 3, unlike
/// `HMAC_CTX`.
enum HMACSHA256 {
    static let outputSize = 32

    /// `nil` only when OpenSSL fails, which callers report rather than trap on.
    static func authenticate(_ message: some Collection<UInt8>, key: [UInt8]) -> [UInt8]? {
        guard let keyLength = Int32(exactly: key.count) else { return nil }
        let message = Array(message)
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        let result = key.withUnsafeBytes { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, keyLength,
                        messageBuffer.baseAddress, messageBuffer.count,
                        outputBuffer.baseAddress, &outputLength)
                }
            }
        }
        guard result != nil, outputLength == outputSize else { return nil }
        return Array(output.prefix(outputSize))
    }
}
