/// Prints `TSType` the way TypeScript's printer lays out openapi-typescript's nodes (object
/// types and tuples over several lines, unions and intersections on one, parentheses where
/// the printer adds them), with two-space indentation instead of four.
enum TypePrinter {
    static let unit = "  "
    private static let indents: [String] = (0..<48).map { String(repeating: unit, count: $0) }

    static func indent(_ depth: Int) -> String {
        depth < indents.count ? indents[depth] : String(repeating: unit, count: depth)
    }

    /// `type` as it appears after `key: ` on a line indented `depth` levels.
    static func write(_ type: TSType, depth: Int, to output: inout String) {
        switch type {
        case .keyword(let keyword): output.append(keyword.rawValue)
        case .stringLiteral(let text): TypeScriptNames.appendStringLiteral(text, to: &output)
        case .numberLiteral(let text): output.append(text)
        case .booleanLiteral(let value): output.append(value ? "true" : "false")
        case .null: output.append("null")
        case .raw(let text): output.append(text)
        case .reference(let name, let arguments):
            output.append(name)
            guard !arguments.isEmpty else { return }
            output.append("<")
            for (offset, argument) in arguments.enumerated() {
                if offset > 0 { output.append(", ") }
                write(argument, depth: depth, to: &output)
            }
            output.append(">")
        case .indexed(let root, let keys):
            output.append(root)
            for key in keys {
                output.append("[")
                TypeScriptNames.appendStringLiteral(key, to: &output)
                output.append("]")
            }
        case .array(let element):
            writeParenthesized(element, depth: depth, to: &output)
            output.append("[]")
        case .optionalElement(let element):
            writeParenthesized(element, depth: depth, to: &output)
            output.append("?")
        case .restElement(let element):
            output.append("...")
            writeParenthesized(element, depth: depth, to: &output)
            output.append("[]")
        case .tuple(let elements):
            guard !elements.isEmpty else {
                output.append("[]")
                return
            }
            output.append("[\n")
            for (offset, element) in elements.enumerated() {
                output.append(indent(depth + 1))
                write(element, depth: depth + 1, to: &output)
                output.append(offset == elements.count - 1 ? "\n" : ",\n")
            }
            output.append(indent(depth))
            output.append("]")
        case .union(let members):
            for (offset, member) in members.enumerated() {
                if offset > 0 { output.append(" | ") }
                writeParenthesized(member, depth: depth, to: &output)
            }
        case .intersection(let members):
            for (offset, member) in members.enumerated() {
                if offset > 0 { output.append(" & ") }
                writeParenthesized(member, depth: depth, to: &output)
            }
        case .object(let members):
            guard !members.isEmpty else {
                output.append("{}")
                return
            }
            output.append("{\n")
            writeMembers(members, depth: depth + 1, to: &output)
            output.append(indent(depth))
            output.append("}")
        }
    }

    /// Union and intersection members of unions, intersections and arrays get parentheses,
    /// as TypeScript's parenthesizer rules add them.
    private static func writeParenthesized(_ type: TSType, depth: Int, to output: inout String) {
        switch type {
        case .union, .intersection:
            output.append("(")
            write(type, depth: depth, to: &output)
            output.append(")")
        default:
            write(type, depth: depth, to: &output)
        }
    }

    /// Each member on its own line(s), `depth` levels in.
    static func writeMembers(_ members: [TSMember], depth: Int, to output: inout String) {
        let prefix = indent(depth)
        for member in members {
            if let comment = member.comment { writeComment(comment, depth: depth, to: &output) }
            output.append(prefix)
            if member.isReadonly { output.append("readonly ") }
            output.append(member.key)
            output.append(member.isOptional ? "?: " : ": ")
            write(member.type, depth: depth, to: &output)
            output.append(";\n")
        }
    }

    /// A block comment, re-indented the way TypeScript prints synthetic comments: each line
    /// trimmed, continuation lines keeping their own leading spaces after the indentation.
    static func writeComment(_ comment: String, depth: Int, to output: inout String) {
        // Byte-wise: comments are most of a large schema's text, and Character iteration is slow.
        let prefix = indent(depth)
        let bytes = comment.utf8
        var lineStart = bytes.startIndex
        var first = true
        while true {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var start = lineStart
            var leading = 0
            while start < lineEnd, bytes[start] == 0x20 || bytes[start] == 0x09 {
                leading += 1
                start = bytes.index(after: start)
            }
            var end = lineEnd
            while end > start {
                let previous = bytes.index(before: end)
                guard bytes[previous] == 0x20 || bytes[previous] == 0x09 || bytes[previous] == 0x0D else { break }
                end = previous
            }
            if first {
                output.append(prefix)
                output.append(contentsOf: Substring(bytes[start..<end]))
                first = false
            } else if start < end {
                output.append(prefix)
                output.append(String(repeating: " ", count: leading))
                output.append(contentsOf: Substring(bytes[start..<end]))
            }
            output.append("\n")
            guard lineEnd < bytes.endIndex else { break }
            lineStart = bytes.index(after: lineEnd)
        }
    }
}
