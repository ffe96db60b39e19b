import OpenAPI

/// Where a schema comparison is: the operation, the thing the schema describes (`request body
/// (application/json)`, `parameter 'limit' (query)`), the property path inside it, the rule id
/// prefixes to use at the root and below it, and the way the value flows.
struct SchemaContext {
    var operation: String?
    var subject: String
    var path = ""
    /// `request-body`, `request-parameter`, `response-body`, `response-header`, `webhook-request-body`, …
    var rootPrefix: String
    /// `request-property`, `response-property`, … (the root's prefix for parameters and headers).
    var propertyPrefix: String
    var flow: DataFlow
    /// What property rules are named after: `request`, `response`, `request-parameter`,
    /// `response-header`, `webhook-request`, … (`request-required-property-added`).
    var side: String

    var prefix: String { path.isEmpty ? rootPrefix : propertyPrefix }

    /// `request body (application/json) property 'owner.name'`.
    var place: String { path.isEmpty ? subject : "\(subject) property '\(path)'" }

    func appending(property name: String) -> SchemaContext {
        var copy = self
        copy.path = path.isEmpty ? name : "\(path).\(name)"
        return copy
    }

    func appending(suffix: String) -> SchemaContext {
        var copy = self
        copy.path = path + suffix
        return copy
    }
}
