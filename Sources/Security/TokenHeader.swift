/// The JOSE header, reduced to what verification must look at. Decoding is
/// lenient about member types so that the codec, not the decoder, decides
/// which error a strange header earns.
struct TokenHeader: Decodable {
    let algorithm: String?
    let hasCriticalExtensions: Bool

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ClaimKey.self)
        algorithm = try? container.decode(String.self, forKey: ClaimKey("alg"))
        hasCriticalExtensions = container.contains(ClaimKey("crit"))
    }

    /// The header every issued token carries; fixed text, so it is encoded once.
    static let encodedHS256 = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
}
