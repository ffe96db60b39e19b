import OpenAPI

extension SecurityScheme {
    /// Whether a client authenticates with a bearer token under this scheme: OAuth 2, OpenID
    /// Connect and HTTP `bearer`. The typed client and the WebSocket helpers send one.
    var carriesBearerToken: Bool {
        switch kind {
        case .oauth2, .openIdConnect: return true
        case .http: return scheme?.lowercased() == "bearer"
        case .apiKey, .mutualTLS: return false
        }
    }
}
