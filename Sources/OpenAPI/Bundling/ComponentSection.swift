/// A section of `components`, in the order the bundler writes sections it adds.
enum ComponentSection: String, CaseIterable, Hashable {
    case schemas
    case responses
    case parameters
    case examples
    case requestBodies
    case headers
    case securitySchemes
    case links
    case callbacks
    case pathItems

    /// The kind of object whose section this is.
    var object: BundlePosition.Object {
        switch self {
        case .schemas: .schema
        case .responses: .response
        case .parameters: .parameter
        case .examples: .example
        case .requestBodies: .requestBody
        case .headers: .header
        case .securitySchemes: .securityScheme
        case .links: .link
        case .callbacks: .callback
        case .pathItems: .pathItem
        }
    }
}
