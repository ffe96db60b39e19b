import OpenAPI

/// Every change between two documents, in the order the comparison met them (document first,
/// then operations in the new document's order, removed ones where the old document had them).
public struct DiffReport: Sendable {
    public var oldName: String
    public var newName: String
    public var changes: [SpecChange]

    public init(oldName: String, newName: String, changes: [SpecChange]) {
        self.oldName = oldName
        self.newName = newName
        self.changes = changes
    }

    public var breaking: [SpecChange] { changes.filter(\.rule.isBreaking) }
    public var breakingForClients: [SpecChange] { changes.filter { $0.rule.client == .breaking } }
    public var breakingForServer: [SpecChange] { changes.filter { $0.rule.server == .breaking } }
    public var hasBreakingChanges: Bool { changes.contains { $0.rule.isBreaking } }

    /// `3 changes: 1 breaking for clients, 1 breaking for the server, 1 warning`, or `no changes`.
    public var summary: String {
        guard !changes.isEmpty else { return "no changes" }
        let warnings = changes.count { $0.rule.impact == .warning }
        var parts = [
            "\(breakingForClients.count) breaking for clients", "\(breakingForServer.count) breaking for the server",
        ]
        parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")")
        return "\(changes.count) change\(changes.count == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }

    /// One diagnostic per line, `file:line:column: error|warning|note: message (verdict) [rule-id]`.
    public var compilerText: String {
        changes.map { $0.description + "\n" }.joined()
    }

    /// `{"old": …, "new": …, "summary": {…}, "changes": [{rule, client, server, severity, …}]}`.
    public var json: String {
        var output = "{\n  \"old\": "
        JSONValue.writeQuoted(oldName, to: &output)
        output += ",\n  \"new\": "
        JSONValue.writeQuoted(newName, to: &output)
        output += ",\n  \"summary\": {\"changes\": \(changes.count), \"breakingForClients\": \(breakingForClients.count), "
        output += "\"breakingForServer\": \(breakingForServer.count)},\n  \"changes\": ["
        for (offset, change) in changes.enumerated() {
            var object = OrderedMap<JSONValue>()
            object["rule"] = .string(change.rule.id)
            object["severity"] = .string(change.severity)
            object["client"] = .string(change.rule.client.rawValue)
            object["server"] = .string(change.rule.server.rawValue)
            object["operation"] = change.operation.map(JSONValue.string) ?? .null
            object["message"] = .string(change.message)
            object["file"] = .string(change.location.file)
            object["line"] = .integer(change.location.line)
            object["column"] = .integer(change.location.column)
            output += (offset == 0 ? "\n    " : ",\n    ") + JSONValue.object(object).jsonText
        }
        output += changes.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return output
    }

    /// A changelog a pull request can show: breaking changes first, then warnings, then the rest.
    public var markdown: String {
        var output = "## API changes\n\n`\(oldName)` → `\(newName)`: \(summary).\n"
        let sections: [(String, [SpecChange])] = [
            ("Breaking for clients", breakingForClients),
            ("Breaking for the server", breakingForServer.filter { $0.rule.client != .breaking }),
            ("Warnings", changes.filter { $0.rule.impact == .warning }),
            ("Other changes", changes.filter { $0.rule.impact == .info }),
        ]
        for (title, items) in sections where !items.isEmpty {
            output += "\n### \(title)\n\n"
            for change in items {
                let operation = change.operation.map { "`\($0)`: " } ?? ""
                let server = title == "Breaking for clients" && change.rule.server == .breaking ? " (and the server)" : ""
                output += "- \(operation)\(Self.escapeMarkdown(change.message))\(server) `\(change.rule.id)`\n"
            }
        }
        return output
    }

    private static func escapeMarkdown(_ text: String) -> String {
        var result = ""
        for character in text {
            if "|*_<>[]".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
