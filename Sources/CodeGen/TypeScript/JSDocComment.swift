import OpenAPI

/// The doc comments openapi-typescript's `addJSDocComment` writes: title, summary and
/// `Format: …` as plain lines, then `@deprecated`, `@description`, `@default`, `@example`,
/// `@constant` and `@enum {type}`, in that order. Continuation lines of multi-line values are
/// indented by five spaces after the ` *`, as openapi-typescript does.
enum JSDocComment {
    /// One comment from its entries; `nil` when there are none.
    static func text(_ entries: [String]) -> String? {
        guard !entries.isEmpty else { return nil }
        // A `*/` inside a description would end the comment early.
        let safe = entries.map { containsCommentEnd($0) ? $0.replacing("*/", with: "*\\/") : $0 }
        return safe.count == 1 ? "/** \(safe[0]) */" : "/**\n * " + safe.joined(separator: "\n * ") + "\n */"
    }

    private static func containsCommentEnd(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == 0x2A && byte == 0x2F { return true }
            previous = byte
        }
        return false
    }

    /// A property: its title, format, deprecation, description, default and example, as the
    /// model keeps them, and `@enum` when its schema is an inline enum (`enumType`, which the
    /// model hoisted).
    static func property(_ property: Property, enumType: NamedType? = nil) -> String? {
        var entries: [String] = []
        if let title = property.title, !title.isEmpty { entries.append(continued(title)) }
        if let format = property.constraints.format, !format.isEmpty { entries.append("Format: \(format)") }
        if property.deprecated { entries.append("@deprecated") }
        if let description = property.description, !description.isEmpty {
            entries.append("@description " + continued(description))
        }
        if let value = property.defaultValue { entries.append("@default " + continued(serialized(value))) }
        if let example = property.example { entries.append("@example " + continued(serialized(example))) }
        if let enumType { entries += enumEntries(enumType) }
        return text(entries)
    }

    /// A named type's declaration: its title, deprecation and description, and `@enum` with
    /// each value's documentation for an enum.
    static func namedType(_ type: NamedType) -> String? {
        var entries: [String] = []
        if let title = type.title, !title.isEmpty { entries.append(continued(title)) }
        if type.deprecated { entries.append("@deprecated") }
        if let description = type.description, !description.isEmpty {
            entries.append("@description " + continued(description))
        }
        entries += enumEntries(type)
        return text(entries)
    }

    /// `@enum {string}` (openapi-typescript's tag), then a line per documented value:
    /// `` - `"active"`: Shown to everyone. `` (from `x-enum-descriptions` or `x-enumNames`).
    private static func enumEntries(_ type: NamedType) -> [String] {
        let values: [(text: String, literal: String)]
        switch type.kind {
        case .stringEnum(let strings):
            values = strings.map { value in
                var literal = ""
                TypeScriptNames.appendStringLiteral(value, to: &literal)
                return (value, literal)
            }
        case .integerEnum(let integers): values = integers.map { (String($0), String($0)) }
        default: return []
        }
        var entries = ["@enum {\(type.kind.isStringEnum ? "string" : "integer")}"]
        for value in values {
            guard let description = type.valueDescriptions[value.text] else { continue }
            entries.append("- `\(value.literal)`: " + continued(description))
        }
        return entries
    }

    static func parameter(_ parameter: APIParameter) -> String? {
        var entries: [String] = []
        if parameter.deprecated { entries.append("@deprecated") }
        if let description = parameter.description, !description.isEmpty {
            entries.append("@description " + continued(description))
        }
        return text(entries)
    }

    static func operation(_ operation: APIOperation) -> String? {
        var entries: [String] = []
        if let summary = operation.summary, !summary.isEmpty { entries.append(continued(summary)) }
        if operation.deprecated { entries.append("@deprecated") }
        if let description = operation.description, !description.isEmpty {
            entries.append("@description " + continued(description))
        }
        return text(entries)
    }

    /// Responses and request bodies: only their description.
    static func described(_ description: String?) -> String? {
        guard let description, !description.isEmpty else { return nil }
        return text(["@description " + continued(description)])
    }

    /// Line breaks continue the comment: `\n *     `.
    static func continued(_ text: String) -> String {
        guard text.utf8.contains(0x0A) else { return text }
        return text.replacing("\r\n", with: "\n").replacing("\n", with: "\n *     ")
    }

    /// A value as `String(value)` prints it, objects and arrays as `JSON.stringify(value, null, 2)`.
    static func serialized(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return TypeScriptNames.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object:
            var output = ""
            writePrettyJSON(value, depth: 0, to: &output)
            return output
        }
    }

    private static func writePrettyJSON(_ value: JSONValue, depth: Int, to output: inout String) {
        switch value {
        case .array(let items):
            guard !items.isEmpty else {
                output.append("[]")
                return
            }
            output.append("[\n")
            for (offset, item) in items.enumerated() {
                output.append(String(repeating: "  ", count: depth + 1))
                writePrettyJSON(item, depth: depth + 1, to: &output)
                output.append(offset == items.count - 1 ? "\n" : ",\n")
            }
            output.append(String(repeating: "  ", count: depth) + "]")
        case .object(let members):
            guard !members.isEmpty else {
                output.append("{}")
                return
            }
            output.append("{\n")
            for (offset, (key, member)) in members.enumerated() {
                output.append(String(repeating: "  ", count: depth + 1))
                JSONValue.writeQuoted(key, to: &output)
                output.append(": ")
                writePrettyJSON(member, depth: depth + 1, to: &output)
                output.append(offset == members.count - 1 ? "\n" : ",\n")
            }
            output.append(String(repeating: "  ", count: depth) + "}")
        case .string(let text): JSONValue.writeQuoted(text, to: &output)
        case .number(let number): output.append(number.isFinite ? TypeScriptNames.number(number) : "null")
        default: value.write(to: &output)
        }
    }
}
