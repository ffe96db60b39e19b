/// Base64url without padding (RFC 4648 §5, RFC 7515 §2), as JWTs carry it;
/// strict decoding (see `UnpaddedBase64`).
enum Base64URL {
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        UnpaddedBase64.url.encode(bytes)
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        UnpaddedBase64.url.decode(text)
    }
}
