import Foundation
import JSON

/// The JSON form of `TokenClaims`. Reading (from `JSONParser`'s value: Foundation's JSONDecoder
/// was 4% of an authenticated request's CPU) records claims of the wrong type instead of failing,
/// so the codec can report which claim was bad.
struct TokenPayload: Encodable {
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

    /// The claims of a parsed payload object. A registered claim of the wrong type is recorded in
    /// `invalidClaims` (a date must be a number, the others strings); other claims are kept when
    /// they are strings and skipped otherwise. A repeated name: the last one counts.
    init(json object: JSONObject) {
        for member in object {
            let value = member.value
            switch member.key {
            case "sub": subject = readString(value, member.key)
            case "typ": type = readString(value, member.key)
            case "jti": id = readString(value, member.key)
            case "exp": expiresAt = readDate(value, member.key)
            case "iat": issuedAt = readDate(value, member.key)
            case "nbf": notBefore = readDate(value, member.key)
            default: extra[member.key] = value.stringValue
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

    private mutating func readString(_ value: JSONValue, _ name: String) -> String? {
        invalidClaims.removeAll { $0 == name }
        if case .string(let text) = value { return text }
        invalidClaims.append(name)
        return nil
    }

    private mutating func readDate(_ value: JSONValue, _ name: String) -> Double? {
        invalidClaims.removeAll { $0 == name }
        switch value {
        case .integer(let seconds): return Double(seconds)
        case .double(let seconds) where seconds.isFinite: return seconds
        default:
            invalidClaims.append(name)
            return nil
        }
    }
}
