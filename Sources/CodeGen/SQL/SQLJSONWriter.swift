import OpenAPI

/// Pretty JSON with sorted keys, written by hand so the lock file's bytes depend on nothing
/// but its content: no Foundation version or platform changes its spacing or key order.
enum SQLJSONWriter {
    /// `value` indented by two spaces, object keys sorted, lists of scalars on one line,
    /// ending with a newline.
    static func pretty(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: "", to: &output)
        return output + "\n"
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        case .null, .bool, .integer, .number, .string: return true
        }
    }

    private static func write(_ value: JSONValue, indent: String, to output: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let items) where items.allSatisfy(isScalar):
            // Column lists read best on one line: `["owner_id", "created_at"]`.
            output += "[" + items.map(\.jsonText).joined(separator: ", ") + "]"
        case .array(let items):
            output += "[\n"
            for (offset, item) in items.enumerated() {
                output += inner
                write(item, indent: inner, to: &output)
                output += offset == items.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            let keys = members.keys.sorted()
            for (offset, key) in keys.enumerated() {
                output += inner
                JSONValue.writeQuoted(key, to: &output)
                output += ": "
                write(members[key] ?? .null, indent: inner, to: &output)
                output += offset == keys.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        default:
            value.write(to: &output)
        }
    }
}
