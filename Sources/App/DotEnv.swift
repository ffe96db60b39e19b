import Foundation

/// Reads a `.env` file the way python-dotenv (and so pydantic-settings, and the FastAPI
/// template) does for the forms people write: `NAME=value`, `export NAME=value`, blank lines and
/// `#` comments, values in single quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes),
/// and unquoted values with a trailing ` # comment`.
public enum DotEnv {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String

        public var description: String { "line \(line): \(message)" }
    }

    /// The variables of `text`, later lines winning.
    public static func parse(_ text: String) throws -> [String: String] {
        var values: [String: String] = [:]
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[...]
        var lineNumber = 0
        while let rawLine = lines.popFirst() {
            lineNumber += 1
            var line = rawLine.trimmingCharacters(in: .whitespaces)[...]
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop(while: { $0 == " " }) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: lineNumber, message: "expected NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                throw ParseError(line: lineNumber, message: "'\(name)' is not a variable name")
            }
            var value = line[line.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
            if let quote = value.first, quote == "\"" || quote == "'" {
                // A quoted value may span lines.
                var text = String(value.dropFirst())
                var closed: String.Index?
                while true {
                    closed = closingQuote(quote, in: text)
                    if closed != nil { break }
                    guard let next = lines.popFirst() else {
                        throw ParseError(line: lineNumber, message: "unterminated \(quote) quote for \(name)")
                    }
                    lineNumber += 1
                    text += "\n" + next
                }
                let body = String(text[..<closed!])
                values[name] = quote == "\"" ? unescape(body) : body
            } else {
                if let comment = value.range(of: " #") { value = value[..<comment.lowerBound] }
                values[name] = value.trimmingCharacters(in: .whitespaces)
            }
        }
        return values
    }

    /// The variables of the file at `url`.
    public static func load(_ url: URL) throws -> [String: String] {
        try parse(String(contentsOf: url, encoding: .utf8))
    }

    private static func closingQuote(_ quote: Character, in text: String) -> String.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\\", quote == "\"" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if character == quote { return index }
            index = text.index(after: index)
        }
        return nil
    }

    private static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}
