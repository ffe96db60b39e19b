/// Builds TypeScript source line by line with two-space indentation, into one growing buffer.
struct TypeScriptWriter {
    private(set) var text = ""
    private var depth = 0

    init(capacity: Int) {
        text.reserveCapacity(capacity)
    }

    mutating func line(_ content: String = "") {
        if !content.isEmpty {
            text += TypePrinter.indent(depth)
            text += content
        }
        text += "\n"
    }

    /// Text written as is (already indented and terminated).
    mutating func raw(_ content: String) {
        text += content
    }

    /// `opening`, the body one level deeper, then `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout TypeScriptWriter) -> Void) {
        line(opening)
        depth += 1
        body(&self)
        depth -= 1
        line(closing)
    }

    /// `body` one level deeper.
    mutating func indented(_ body: (inout TypeScriptWriter) -> Void) {
        depth += 1
        body(&self)
        depth -= 1
    }

    /// A `/** … */` comment from paragraphs; `nil` and empty paragraphs are skipped.
    mutating func docComment(_ paragraphs: [String?]) {
        let kept = paragraphs.compactMap { paragraph -> String? in
            guard var paragraph else { return nil }
            while let last = paragraph.last, last.isWhitespace { paragraph.removeLast() }
            return paragraph.isEmpty ? nil : paragraph
        }
        guard !kept.isEmpty else { return }
        if kept.count == 1, !kept[0].contains("\n"), kept[0].count <= 100 {
            line("/** " + kept[0].replacing("*/", with: "*\\/") + " */")
            return
        }
        line("/**")
        for (offset, paragraph) in kept.enumerated() {
            if offset > 0 { line(" *") }
            for row in paragraph.split(separator: "\n", omittingEmptySubsequences: false) {
                // A `*/` in a description would close the comment.
                let safe = String(row).replacing("*/", with: "*\\/")
                var trimmed = Substring(safe)
                while let last = trimmed.last, last == " " || last == "\t" || last == "\r" { trimmed = trimmed.dropLast() }
                line(trimmed.isEmpty ? " *" : " * " + trimmed)
            }
        }
        line(" */")
    }
}
