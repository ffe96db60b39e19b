import OpenAPI

/// Where a schema comparison is: the operation, the thing the schema describes (`request body
/// (application/json)`, `parameter 'limit' (query)`), the property path inside it, the rule id
/// prefixes to use at the root and below it, and the way the value flows.
struct SchemaContext {
    var operation: String?
    var subject: String
    /// The property path, as pieces joined only when a change is reported: most comparisons
    /// find nothing, and building each path as text was a sixth of comparing a large document.
    var pieces: [Piece] = []
    /// `request-body`, `request-parameter`, `response-body`, `response-header`, `webhook-request-body`, …
    var rootPrefix: String
    /// `request-property`, `response-property`, … (the root's prefix for parameters and headers).
    var propertyPrefix: String
    var flow: DataFlow
    /// What property rules are named after: `request`, `response`, `request-parameter`,
    /// `response-header`, `webhook-request`, … (`request-required-property-added`).
    var side: String

    enum Piece {
        /// A property name, after a dot unless it comes first.
        case property(String)
        /// Text added as it is (`[]`, `*`, `.*`).
        case suffix(String)
    }

    /// `owner.name`, `tags[]`, `*`: empty at the root.
    var path: String {
        var text = ""
        for piece in pieces {
            switch piece {
            case .property(let name): text += text.isEmpty ? name : "." + name
            case .suffix(let suffix): text += suffix
            }
        }
        return text
    }

    var isRoot: Bool { pieces.isEmpty }

    var prefix: String { isRoot ? rootPrefix : propertyPrefix }

    /// `request body (application/json) property 'owner.name'`.
    var place: String { isRoot ? subject : "\(subject) property '\(path)'" }

    func appending(property name: String) -> SchemaContext {
        var copy = self
        copy.pieces.append(.property(name))
        return copy
    }

    func appending(suffix: String) -> SchemaContext {
        var copy = self
        copy.pieces.append(.suffix(suffix))
        return copy
    }
}
