/// The practical e-mail check pydantic's `EmailStr` makes (through the email-validator package,
/// without the DNS lookup), with its messages.
public enum EmailAddress {
    /// email-validator's limit on the whole address: RFC 5321's 256-octet path less the brackets.
    public static let defaultMaximumLength = 254

    /// Why `value` is not an e-mail address, in email-validator's words, or nil when it is one.
    ///
    /// `maximumLength` limits the whole address (email-validator's 254 unless told); a schema's
    /// `format: email` passes none, since its length is the schema's `maxLength` to say.
    public static func problem(_ value: String, maximumLength: Int? = defaultMaximumLength) -> String? {
        guard let at = value.lastIndex(of: "@") else { return "An email address must have an @-sign." }
        let local = value[..<at]
        let domain = value[value.index(after: at)...]
        if local.isEmpty { return "There must be something before the @-sign." }
        if domain.isEmpty { return "There must be something after the @-sign." }
        let localLength = local.unicodeScalars.count
        if localLength > 64 {
            return
                "The email address is too long before the @-sign (\(localLength - 64) character\(localLength - 64 == 1 ? "" : "s") too many)."
        }
        let totalLength = value.unicodeScalars.count
        if let maximumLength, totalLength > maximumLength {
            let excess = totalLength - maximumLength
            return "The email address is too long (\(excess) character\(excess == 1 ? "" : "s") too many)."
        }
        // Local part: RFC 5322 dot-atom (internationalised letters allowed, as SMTPUTF8 does).
        let atext = Set("!#$%&'*+-/=?^_`{|}~")
        var invalid: [String] = []
        for scalar in local.unicodeScalars {
            let allowed =
                scalar.value >= 0x80 || (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar)
                || atext.contains(Character(scalar)) || scalar == "."
            if !allowed {
                let name = Self.displayName(scalar)
                if !invalid.contains(name) { invalid.append(name) }
            }
        }
        if !invalid.isEmpty {
            return "The email address contains invalid characters before the @-sign: \(invalid.joined(separator: ", "))."
        }
        if local.hasPrefix(".") { return "An email address cannot start with a period." }
        if local.hasSuffix(".") { return "An email address cannot have a period immediately before the @-sign." }
        if local.contains("..") { return "An email address cannot have two periods in a row." }
        // Domain: dot-separated labels of letters, digits and hyphens, with a period.
        var domainInvalid: [String] = []
        for scalar in domain.unicodeScalars {
            let allowed =
                scalar.value >= 0x80 || (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "."
            if !allowed {
                let name = Self.displayName(scalar)
                if !domainInvalid.contains(name) { domainInvalid.append(name) }
            }
        }
        if !domainInvalid.isEmpty {
            return "The part after the @-sign contains invalid characters: \(domainInvalid.joined(separator: ", "))."
        }
        if domain.hasPrefix(".") { return "An email address cannot have a period immediately after the @-sign." }
        if domain.hasSuffix(".") { return "An email address cannot end with a period." }
        if domain.contains("..") { return "An email address cannot have two periods in a row." }
        let labels = domain.split(separator: ".")
        if labels.contains(where: { $0.hasPrefix("-") || $0.hasSuffix("-") }) {
            return "An email address cannot have a hyphen immediately after the @-sign or before a period."
        }
        if labels.count < 2 { return "The part after the @-sign is not valid. It should have a period." }
        if let last = labels.last, last.allSatisfy(\.isNumber) {
            return "The part after the @-sign is not valid. It is not within a valid top-level domain."
        }
        return nil
    }

    /// email-validator names spaces and quotes instead of printing them bare.
    private static func displayName(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": return "SPACE"
        case "\t": return "TAB"
        case "\"": return "'\"'"
        default:
            return scalar.properties.generalCategory == .control ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : "'\(scalar)'"
        }
    }
}
