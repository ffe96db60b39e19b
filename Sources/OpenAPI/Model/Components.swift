public struct Components: Sendable {
    public var schemas = OrderedMap<Schema>()
    public var responses = OrderedMap<Referenceable<Response>>()
    public var parameters = OrderedMap<Referenceable<Parameter>>()
    public var examples = OrderedMap<Referenceable<Example>>()
    public var requestBodies = OrderedMap<Referenceable<RequestBody>>()
    public var headers = OrderedMap<Referenceable<Header>>()
    public var securitySchemes = OrderedMap<Referenceable<SecurityScheme>>()
    public var links = OrderedMap<Referenceable<Link>>()
    public var callbacks = OrderedMap<Referenceable<Callback>>()
    public var pathItems = OrderedMap<Referenceable<PathItem>>()
    public var extensions = Extensions()
}

public struct SecurityScheme: Sendable {
    public enum Kind: String, Sendable {
        case apiKey, http, oauth2, openIdConnect, mutualTLS
    }

    public struct OAuthFlow: Sendable {
        public var authorizationUrl: String?
        public var tokenUrl: String?
        public var refreshUrl: String?
        public var scopes = OrderedMap<String>()
    }

    public var kind: Kind
    public var description: String?
    /// apiKey: the header, query or cookie name.
    public var name: String?
    public var location: ParameterLocation?
    /// http: `bearer`, `basic`, …
    public var scheme: String?
    public var bearerFormat: String?
    /// oauth2: flow name (`password`, `implicit`, `clientCredentials`, `authorizationCode`) → flow.
    public var flows = OrderedMap<OAuthFlow>()
    public var openIdConnectUrl: String?
    public var extensions = Extensions()
    public var sourceLocation: SourceLocation
}
