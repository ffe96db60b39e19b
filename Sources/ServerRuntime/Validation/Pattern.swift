/// A JSON Schema `pattern`, compiled once.
///
/// Generated code keeps each pattern in a `static let`, so it is compiled the first time it is
/// used and shared after that. JSON Schema patterns are not anchored (a match anywhere counts),
/// like pydantic's. Patterns that are a plain literal between `^` and `$`, such as the OAuth2
/// form's `^password$`, are compared as strings without running the regex engine.
public final class Pattern: Sendable {
    /// The pattern as the spec wrote it (it goes into the `string_pattern_mismatch` message).
    public let source: String
    private let exactLiteral: String?
    private let regex: CompiledRegex?

    /// Compiles `source`; an invalid pattern is a bug in the spec, caught by the first request
    /// (and by `specgen lint`), so it stops the process with the pattern in the message.
    public init(_ source: String) {
        self.source = source
        if let literal = Self.anchoredLiteral(source) {
            self.exactLiteral = literal
            self.regex = nil
        } else {
            self.exactLiteral = nil
            do {
                self.regex = CompiledRegex(try Regex(source))
            } catch {
                preconditionFailure("invalid pattern '\(source)' in the spec: \(error)")
            }
        }
    }

    /// Whether `text` matches (anywhere, unless the pattern anchors itself).
    public func matches(_ text: String) -> Bool {
        if let exactLiteral { return text == exactLiteral }
        return self.regex!.matches(text)
    }

    /// `^abc$` with no metacharacters between the anchors.
    private static func anchoredLiteral(_ source: String) -> String? {
        guard source.hasPrefix("^"), source.hasSuffix("$"), source.count >= 2 else { return nil }
        let body = source.dropFirst().dropLast()
        let metacharacters = Set("\\^$.|?*+()[]{}")
        guard !body.contains(where: { metacharacters.contains($0) }) else { return nil }
        return String(body)
    }
}

/// `Regex` is not `Sendable` because its program is compiled lazily; matching once at creation
/// compiles it, after which it is only read, so sharing it between threads is safe.
private final class CompiledRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) {
        self.regex = regex
        _ = try? regex.firstMatch(in: "")
    }

    func matches(_ text: String) -> Bool {
        (try? self.regex.firstMatch(in: text)) != nil
    }
}
