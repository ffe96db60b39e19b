/// An OpenAPI document: 3.0.x, 3.1.x, and 3.2.x where it stays compatible.
public struct OpenAPIDocument: Sendable {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The underscores keep versions readable: `v30` would read as thirty.
    public enum Version: Sendable, Comparable {
        case v3_0
        case v3_1
        case v3_2
    }

    public var openapi: String
    public var version: Version
    public var info: Info
    public var jsonSchemaDialect: String?
    public var servers: [Server] = []
    public var paths = OrderedMap<Referenceable<PathItem>>()
    public var webhooks = OrderedMap<Referenceable<PathItem>>()
    public var components = Components()
    public var security: [SecurityRequirement]?
    public var tags: [Tag] = []
    public var externalDocs: ExternalDocumentation?
    public var extensions = Extensions()
    /// Where the document starts: the file the user named.
    public var location: SourceLocation
}

public struct Info: Sendable {
    public var title: String
    public var summary: String?
    public var description: String?
    public var termsOfService: String?
    public var contact: Contact?
    public var license: License?
    public var version: String
    public var extensions = Extensions()

    public struct Contact: Sendable {
        public var name: String?
        public var url: String?
        public var email: String?
    }

    public struct License: Sendable {
        public var name: String
        public var identifier: String?
        public var url: String?
    }
}

public struct Server: Sendable {
    public struct Variable: Sendable {
        public var enumValues: [String]?
        public var defaultValue: String
        public var description: String?
    }

    public var url: String
    public var description: String?
    public var variables = OrderedMap<Variable>()
    public var extensions = Extensions()
}

public struct ExternalDocumentation: Sendable {
    public var url: String
    public var description: String?
}

public struct Tag: Sendable {
    public var name: String
    public var summary: String?
    public var description: String?
    public var parent: String?
    public var kind: String?
    public var externalDocs: ExternalDocumentation?
    public var extensions = Extensions()
}

/// Scheme name → the scopes it needs; an empty requirement makes security optional.
public typealias SecurityRequirement = OrderedMap<[String]>
