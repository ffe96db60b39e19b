/// Checks for the SQL text a spec may embed (`x-db-type`, `x-db-default`).
///
/// Those fragments are copied into generated statements verbatim, so one that ends the
/// statement (`;`), comments out the rest of the line (`--`, `/*`) or leaves a quote or a
/// parenthesis open would change what the migration does instead of failing loudly.
enum SQLFragment {
    /// Why `text` cannot be embedded in a statement, or `nil` when it can.
    static func problem(with text: String) -> String? {
        if trimmed(text).isEmpty { return "it is empty" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains a line break or another control character"
        }
        var depth = 0
        var quote: Character?
        var previous: Character?
        for character in text {
            defer { previous = character }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case ";": return "it contains ';', which would end the statement"
            case "-" where previous == "-": return "it contains '--', which would comment out the rest of the line"
            case "*" where previous == "/": return "it contains '/*', which would start a comment"
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return "it has a ')' without a matching '('" }
            default: break
            }
        }
        if quote != nil { return "it leaves a quote open" }
        if depth != 0 { return "it leaves a '(' open" }
        return nil
    }

    /// `text` without leading and trailing spaces and tabs (no Foundation in the generator).
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(scalars[first...last])
    }
}
