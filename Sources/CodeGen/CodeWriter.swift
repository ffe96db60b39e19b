/// Builds source text line by line with indentation, so emitters read like the code they write.
public struct CodeWriter {
    public private(set) var text = ""
    private var depth = 0
    private let unit: String

    public init(indent: String = "    ", capacity: Int = 4096) {
        unit = indent
        text.reserveCapacity(capacity)
    }

    public mutating func line(_ content: String = "") {
        if !content.isEmpty {
            for _ in 0..<depth { text += unit }
            text += content
        }
        text += "\n"
    }

    /// Writes `opening`, the body one level deeper, then `closing`.
    public mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(opening)
        depth += 1
        body(&self)
        depth -= 1
        line(closing)
    }

    /// A `switch`: its cases stay at the level of the `switch`, as swift-format lays them out.
    public mutating func cases(_ opening: String, _ body: (inout CodeWriter) -> Void) {
        line(opening)
        body(&self)
        line("}")
    }

    /// Writes `body` one level deeper.
    public mutating func indented(_ body: (inout CodeWriter) -> Void) {
        depth += 1
        body(&self)
        depth -= 1
    }

    /// A doc comment, one `///` line per line of `text`, trailing blank lines dropped.
    public mutating func docComment(_ comment: String?, prefix: String = "///") {
        guard let comment, !comment.isEmpty else { return }
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingTrailingWhitespace()
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        for entry in lines { line(entry.isEmpty ? prefix : "\(prefix) \(entry)") }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var result = Substring(self)
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return String(result)
    }
}
