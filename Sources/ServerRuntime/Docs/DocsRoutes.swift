public import Hummingbird
import NIOCore

/// Installs `/openapi.json`, `/openapi.yaml`, `/docs`, `/docs/oauth2-redirect`, `/docs/static/*`
/// and `/redoc`. Every page and asset is rendered or read once, here, and served from memory.
public struct DocsRoutes: Sendable {
    public let configuration: DocsConfiguration
    public let assets: StaticAssets
    let swaggerPage: ByteBuffer
    let redocPage: ByteBuffer
    let redirectPage: ByteBuffer

    public init(_ configuration: DocsConfiguration) {
        self.configuration = configuration
        self.assets = StaticAssets(directory: configuration.assetsDirectory)
        let assets = self.assets
        func url(_ name: String, cdn: String) -> String {
            assets.contains(name) ? "/docs/static/\(name)" : cdn
        }
        self.swaggerPage = ByteBuffer(
            string: DocsPages.swaggerUI(
                title: configuration.title,
                openAPIURL: "/openapi.json",
                scriptURL: url("swagger-ui-bundle.js", cdn: configuration.swaggerUICDN + "/swagger-ui-bundle.js"),
                cssURL: url("swagger-ui.css", cdn: configuration.swaggerUICDN + "/swagger-ui.css"),
                oauthClientID: configuration.oauthClientID
            )
        )
        self.redocPage = ByteBuffer(
            string: DocsPages.redoc(
                title: configuration.title,
                openAPIURL: "/openapi.json",
                scriptURL: url("redoc.standalone.js", cdn: configuration.redocCDN)
            )
        )
        if let local = assets.asset(named: "oauth2-redirect.html") {
            self.redirectPage = local.buffer
        } else {
            self.redirectPage = ByteBuffer(string: DocsPages.oauth2Redirect)
        }
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let html = "text/html; charset=utf-8"
        if let json = self.configuration.openAPIJSON {
            let buffer = ByteBuffer(bytes: json)
            router.get("/openapi.json") { _, _ in APIResponse.buffer(buffer, contentType: APIResponse.jsonContentType) }
        }
        if let yaml = self.configuration.openAPIYAML {
            let buffer = ByteBuffer(bytes: yaml)
            router.get("/openapi.yaml") { _, _ in APIResponse.buffer(buffer, contentType: "application/yaml") }
        }
        let swaggerPage = self.swaggerPage
        let redocPage = self.redocPage
        let redirectPage = self.redirectPage
        router.get("/docs") { _, _ in APIResponse.buffer(swaggerPage, contentType: html) }
        router.get("/docs/oauth2-redirect") { _, _ in APIResponse.buffer(redirectPage, contentType: html) }
        router.get("/redoc") { _, _ in APIResponse.buffer(redocPage, contentType: html) }
        let assets = self.assets
        router.get("/docs/static/{name}") { _, context -> Response in
            guard let name = context.parameters.get("name"), let asset = assets.asset(named: name) else {
                throw HTTPError(.notFound, detail: "Not Found")
            }
            var response = APIResponse.buffer(asset.buffer, contentType: asset.contentType)
            response.headers[.cacheControl] = "public, max-age=86400"
            return response
        }
    }
}
