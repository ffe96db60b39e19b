/// The escaping of one JSON pointer segment (RFC 6901), in one place for every stage: the
/// loader's references, the model's component keys and the TypeScript `components[...]` paths.
public enum JSONPointer {
    /// `a/b~c` → `a~1b~0c`.
    public static func escape(_ segment: String) -> String {
        guard segment.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return segment }
        var result = ""
        result.reserveCapacity(segment.utf8.count + 2)
        for character in segment.unicodeScalars {
            switch character {
            case "~": result += "~0"
            case "/": result += "~1"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// `a~1b~0c` → `a/b~c`; a `~` followed by anything else is kept as it stands.
    public static func unescape(_ segment: some StringProtocol) -> String {
        String(segment).replacingEscapes()
    }

    /// The decoded segments of a pointer (`/a~1b/c` → `["a/b", "c"]`).
    public static func segments(_ pointer: String) -> [String] {
        pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(unescape)
    }
}
