import OpenAPI

/// One difference between two documents, classified by the rule that found it.
public struct SpecChange: Sendable, CustomStringConvertible {
    public var rule: DiffRule
    /// The operation it belongs to (`GET /items/{id}`, `webhook newItem POST`), nil for the document.
    public var operation: String?
    /// What changed, without the operation.
    public var message: String
    /// In the new document, or in the old one for what was removed.
    public var location: SourceLocation

    public init(rule: DiffRule, operation: String?, message: String, location: SourceLocation) {
        self.rule = rule
        self.operation = operation
        self.message = message
        self.location = location
    }

    /// `error` when it breaks either side, `warning` when it may, `note` otherwise.
    public var severity: String {
        switch rule.impact {
        case .breaking: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// Who it breaks, in words: `breaking for clients and the server`, `may break clients`, …
    public var verdict: String {
        func sides(_ impact: ChangeImpact) -> String? {
            switch (rule.client == impact, rule.server == impact) {
            case (true, true): "clients and the server"
            case (true, false): "clients"
            case (false, true): "the server"
            case (false, false): nil
            }
        }
        var parts: [String] = []
        if let breaking = sides(.breaking) { parts.append("breaking for \(breaking)") }
        if let warning = sides(.warning) { parts.append("may break \(warning)") }
        return parts.isEmpty ? "not breaking" : parts.joined(separator: "; ")
    }

    /// The whole sentence: `GET /items: response 200 …`.
    public var text: String { operation.map { "\($0): \(message)" } ?? message }

    /// `file:line:column: error: message (verdict) [rule-id]`, as compilers print diagnostics.
    public var description: String {
        "\(location): \(severity): \(text) (\(verdict)) [\(rule.id)]"
    }
}
