/// What the documentation routes serve: the spec, and where the Swagger UI and ReDoc assets come
/// from.
public struct DocsConfiguration: Sendable {
    /// The page title (the spec's `info.title`).
    public var title: String
    /// `GET /openapi.json`: the bundled document the generator writes to `Generated/openapi.json`.
    public var openAPIJSON: [UInt8]?
    /// `GET /openapi.yaml`: the spec as written.
    public var openAPIYAML: [UInt8]?
    /// A folder holding `swagger-ui-bundle.js`, `swagger-ui.css`, `oauth2-redirect.html`,
    /// `redoc.standalone.js` (any of them), served under `/docs/static/`. Each asset missing there
    /// is loaded from the CDN instead, so the docs work offline when the folder is filled.
    public var assetsDirectory: String?
    /// Base URL of swagger-ui-dist on the CDN.
    public var swaggerUICDN: String
    /// ReDoc's standalone bundle on the CDN.
    public var redocCDN: String
    /// `clientId` for Swagger UI's `initOAuth` (the password flow needs none).
    public var oauthClientID: String

    public init(
        title: String = "API",
        openAPIJSON: [UInt8]? = nil,
        openAPIYAML: [UInt8]? = nil,
        assetsDirectory: String? = nil,
        swaggerUICDN: String = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5",
        redocCDN: String = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js",
        oauthClientID: String = ""
    ) {
        self.title = title
        self.openAPIJSON = openAPIJSON
        self.openAPIYAML = openAPIYAML
        self.assetsDirectory = assetsDirectory
        self.swaggerUICDN = swaggerUICDN
        self.redocCDN = redocCDN
        self.oauthClientID = oauthClientID
    }
}
