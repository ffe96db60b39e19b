import OpenAPI

/// One operation, with everything resolved: parameters merged with the path item's, references
/// followed, inline schemas hoisted.
public struct APIOperation: Sendable {
    /// A lowerCamelCase identifier, unique among operations: from `operationId`, or method and path.
    public var name: String
    /// The same in UpperCamelCase, for names derived from the operation (hoisted types,
    /// TypeScript's `ReadItemInput`).
    public var typeName: String
    /// The Swift namespace of the operation's types, inside `Operations`: lowerCamelCase like
    /// `name`, so it can never equal (and so never shadow or be renamed by) a schema's type
    /// name, which is UpperCamelCase.
    public var namespace: String {
        if let first = name.unicodeScalars.first, ("a"..."z").contains(first) { return name }
        return Naming.memberName("operation " + name)
    }
    public var operationId: String?
    public var method: HTTPMethod
    public var path: String
    /// The protocol the operation belongs to: its first tag, or `Default`.
    public var group: String
    public var tags: [String]
    public var summary: String?
    public var description: String?
    public var deprecated: Bool
    /// The `x-sunset` date (`YYYY-MM-DD`): after it a deprecated operation may be removed.
    public var sunset: String?
    public var parameters: [APIParameter]
    public var requestBody: APIRequestBody?
    public var responses: [APIResponse]
    /// Alternatives, any one of which suffices; each names schemes that must all pass.
    /// Empty when the operation is public.
    public var security: [[SecurityRequirementEntry]]
    public var location: SourceLocation
    /// The requests the server makes back (`callbacks`), built only for `specgen diff`
    /// (`ModelBuilder.Purpose.comparison`): no emitter generates them.
    public var callbacks: [APICallback] = []
    /// The method's name when the document names one beyond `HTTPMethod` (3.2's
    /// `additionalOperations`); such operations are in `APIModel.additionalOperations` only.
    public var customMethod: String?

    /// The method as the wire spells it: `GET`, `COPY`.
    public var methodName: String { customMethod ?? method.rawValue.uppercased() }
}

/// One callback of an operation: the requests sent to the URL its expression gives.
public struct APICallback: Sendable {
    public var name: String
    /// The runtime expression of the URL (`{$request.body#/callbackUrl}`).
    public var expression: String
    public var operations: [APIOperation]
}

extension APIOperation {
    /// The security requirements that apply to `operation`: its own, else the document's.
    static func securityRequirements(of operation: OpenAPI.Operation, in document: OpenAPIDocument) -> [SecurityRequirement] {
        operation.security ?? document.security ?? []
    }
}

public struct SecurityRequirementEntry: Hashable, Sendable {
    public var scheme: String
    public var scopes: [String]
}

public struct APIParameter: Sendable {
    public var name: String
    /// A lowerCamelCase identifier, unique within the operation's input.
    public var propertyName: String
    public var location: ParameterLocation
    public var style: ParameterStyle
    public var explode: Bool
    public var required: Bool
    public var type: TypeRef
    public var constraints: Constraints
    public var defaultValue: JSONValue?
    public var description: String?
    public var deprecated: Bool
    /// The `x-sunset` date (`YYYY-MM-DD`): after it a deprecated parameter may be removed.
    public var sunset: String?
    /// Where the parameter is declared, for diagnostics.
    public var sourceLocation: SourceLocation
    /// The `$ref` key of the parameter component it came from (`file#/components/parameters/Limit`),
    /// so TypeScript can name `components["parameters"]` as openapi-typescript does.
    public var componentKey: String?
}

public struct APIContent: Sendable {
    public enum Kind: String, Sendable {
        case json
        case form
        case multipart
        case text
        case binary
    }

    public var contentType: String
    public var kind: Kind
    public var type: TypeRef
    public var constraints: Constraints
    /// The media type's `encoding`: how each field of a form body is serialized, by field name.
    public var encoding = OrderedMap<Encoding>()
    /// Where the media type is declared, for diagnostics.
    public var location: SourceLocation?
}

public struct APIRequestBody: Sendable {
    public var required: Bool
    public var description: String?
    public var contents: [APIContent]
    /// The `$ref` key of the request body component it came from, if any.
    public var componentKey: String?
    /// Where the body is declared, for diagnostics.
    public var location: SourceLocation?
}

public struct APIResponse: Sendable {
    public var key: ResponseKey
    /// A lowerCamelCase case name: `ok`, `created`, `notFound`, `status418`, `clientError`, `default`.
    public var caseName: String
    public var description: String?
    public var headers: [APIHeader]
    public var contents: [APIContent]
    /// When the response is a `components/responses` entry with headers: the name of its
    /// headers type in `APIModel.responseHeaders`, shared by every operation that uses it.
    public var sharedHeaders: String?
    /// The `$ref` key of the response component it came from (`file#/components/responses/NotFound`).
    public var componentKey: String?
    /// Where the response is declared, for diagnostics.
    public var location: SourceLocation?
}

/// The headers of a response component, declared once for every operation using it.
public struct SharedResponseHeaders: Sendable {
    /// An UpperCamelCase identifier, unique among shared headers types.
    public var name: String
    public var headers: [APIHeader]
}

public struct APIHeader: Sendable {
    public var name: String
    public var propertyName: String
    public var required: Bool
    /// A primitive, an array of primitives (comma-separated, `simple` style) or a named enum.
    public var type: TypeRef
    public var description: String?
    /// What the header's schema says beyond its type.
    public var constraints = Constraints()
    /// Where the header is declared, for diagnostics.
    public var location: SourceLocation?
}
