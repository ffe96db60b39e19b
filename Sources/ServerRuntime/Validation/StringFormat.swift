/// The `format`s of string schemas whose Swift type stays `String` (dates kept as text,
/// e-mail addresses, URIs), checked the way pydantic checks the matching Python types.
public enum StringFormat: Sendable, Hashable {
    case email
    case uri
    case uuid
    case date
    case dateTime

    /// What is wrong with `value`, or nil.
    ///
    /// An e-mail address is checked as pydantic checks it but for its total length, which JSON
    /// Schema leaves to `maxLength` (`StringRules` checks that first): email-validator's 254 would
    /// refuse addresses a spec's `maxLength: 255` promises, or any length where it says none.
    public func issue(_ value: String) -> ValidationIssue? {
        switch self {
        case .email:
            return EmailAddress.problem(value, maximumLength: nil).map(ValidationIssue.invalidEmail)
        case .uri:
            return Self.uriProblem(value).map(ValidationIssue.urlParsing)
        case .uuid:
            if case .failure(let failure) = UUIDText.parse(value) { return .uuidParsing(failure.reason) }
            return nil
        case .date:
            if case .failure(let failure) = RFC3339.parseDate(value) { return .dateParsing(failure.reason) }
            return nil
        case .dateTime:
            if case .failure(let failure) = RFC3339.parseDateTime(value) { return .datetimeParsing(failure.reason) }
            return nil
        }
    }

    /// An absolute URI: a scheme, then no spaces or control characters.
    private static func uriProblem(_ value: String) -> String? {
        guard !value.isEmpty else { return "input is empty" }
        let utf8 = value.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")), colon != utf8.startIndex else {
            return "relative URL without a base"
        }
        let scheme = utf8[..<colon]
        guard let first = scheme.first, first | 0x20 >= UInt8(ascii: "a"), first | 0x20 <= UInt8(ascii: "z"),
            scheme.allSatisfy({
                ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "z")) || ($0 &- UInt8(ascii: "0") < 10)
                    || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            })
        else { return "relative URL without a base" }
        if utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return "invalid character in URL" }
        if utf8[utf8.index(after: colon)...].starts(with: "//".utf8) {
            let rest = utf8[utf8.index(colon, offsetBy: 3)...]
            if rest.first == nil || rest.first == UInt8(ascii: "/") { return "empty host" }
        }
        return nil
    }
}
