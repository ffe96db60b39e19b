import Foundation

/// The JSON form of `TokenClaims`. Reading records claims of the wrong type
/// instead of failing, so the codec can report which claim was bad.
struct TokenPayload: Codable {
    var subject: String?
    var type: String?
    var expiresAt: Double?
    var issuedAt: Double?
    var notBefore: Double?
    var id: String?
    var extra: [String: String] = [:]
    var invalidClaims: [String] = []

    init(_ claims: TokenClaims) {
        subject = claims.subject
        type = claims.type.rawValue
        expiresAt = claims.expiresAt.timeIntervalSince1970
        issuedAt = claims.issuedAt?.timeIntervalSince1970
        notBefore = claims.notBefore?.timeIntervalSince1970
        id = claims.id
        extra = claims.extra
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ClaimKey.self)
        for key in container.allKeys {
            switch key.stringValue {
            case "sub": subject = readString(container, key)
            case "typ": type = readString(container, key)
            case "jti": id = readString(container, key)
            case "exp": expiresAt = readDate(container, key)
            case "iat": issuedAt = readDate(container, key)
            case "nbf": notBefore = readDate(container, key)
            default:
                if let value = try? container.decode(String.self, forKey: key) {
                    extra[key.stringValue] = value
                }
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ClaimKey.self)
        for (name, value) in extra {
            try container.encode(value, forKey: ClaimKey(name))
        }
        try container.encodeIfPresent(subject, forKey: ClaimKey("sub"))
        try container.encodeIfPresent(type, forKey: ClaimKey("typ"))
        try container.encodeIfPresent(id, forKey: ClaimKey("jti"))
        // PyJWT and most verifiers expect integers; fractions would be legal
        // but surprise stricter peers.
        try container.encodeIfPresent(expiresAt.map(Self.wholeSeconds), forKey: ClaimKey("exp"))
        try container.encodeIfPresent(issuedAt.map(Self.wholeSeconds), forKey: ClaimKey("iat"))
        try container.encodeIfPresent(notBefore.map(Self.wholeSeconds), forKey: ClaimKey("nbf"))
    }

    /// Whether the date fits a NumericDate written as an `Int64`; issuing
    /// checks it first because converting NaN or ±∞ would trap.
    static func representableSeconds(_ date: Date?) -> Bool {
        guard let seconds = date?.timeIntervalSince1970 else { return true }
        return seconds.isFinite && Int64(exactly: seconds.rounded(.down)) != nil
    }

    private static func wholeSeconds(_ seconds: Double) -> Int64 {
        Int64(seconds.rounded(.down))
    }

    private mutating func readString(_ container: KeyedDecodingContainer<ClaimKey>, _ key: ClaimKey) -> String? {
        if let value = try? container.decode(String.self, forKey: key) { return value }
        invalidClaims.append(key.stringValue)
        return nil
    }

    private mutating func readDate(_ container: KeyedDecodingContainer<ClaimKey>, _ key: ClaimKey) -> Double? {
        if let value = try? container.decode(Double.self, forKey: key), value.isFinite { return value }
        invalidClaims.append(key.stringValue)
        return nil
    }
}
