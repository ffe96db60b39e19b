/// What a `$ref` is expected to point at, from where it stands.
enum ReferenceKind: String {
    case schema
    case response
    case parameter
    case example
    case requestBody = "request body"
    case header
    case securityScheme = "security scheme"
    case link
    case callback
    case pathItem = "path item"
}
