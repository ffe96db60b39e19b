import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

@Suite("Docs routes")
struct DocsRoutesTests {
    @Test func openAPIDocuments() async throws {
        try await makeTestApplication().test(.router) { client in
            let json = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(json.status == .ok)
            #expect(json.headers[.contentType] == "application/json")
            #expect(json.text == #"{"openapi":"3.1.0"}"#)
            let yaml = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(yaml.headers[.contentType] == "application/yaml")
            #expect(yaml.text == "openapi: 3.1.0\n")
        }
    }

    @Test func swaggerAndRedocFromTheCDN() async throws {
        try await makeTestApplication().test(.router) { client in
            let docs = try await client.execute(uri: "/docs", method: .get)
            #expect(docs.status == .ok)
            #expect(docs.headers[.contentType] == "text/html; charset=utf-8")
            #expect(docs.text.contains(#"<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>"#))
            #expect(docs.text.contains(#"href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css""#))
            #expect(docs.text.contains(#"url: "/openapi.json""#))
            #expect(docs.text.contains(#"oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect""#))
            #expect(docs.text.contains("persistAuthorization: true"))
            // Try it out and the token request go to the origin serving the page when the spec's
            // servers do not list it (scripts/browser-test.sh checks it in Chromium).
            #expect(docs.text.contains("plugins: [thisServerFirst],"))
            #expect(docs.text.contains("updateJsonSpec: (original) => (json, ...rest) =>"))
            #expect(docs.text.contains(#"ui.initOAuth({"clientId":"","appName":"Full Stack Example API"})"#))
            #expect(docs.text.contains("<title>Full Stack Example API - Swagger UI</title>"))

            let redirect = try await client.execute(uri: "/docs/oauth2-redirect", method: .get)
            #expect(redirect.text.contains("window.opener.swaggerUIRedirectOauth2"))

            let redoc = try await client.execute(uri: "/redoc", method: .get)
            #expect(redoc.text.contains(#"<script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"> </script>"#))
            #expect(redoc.text.contains(#"<redoc spec-url="/openapi.json"></redoc>"#))
        }
    }

    @Test func localAssetsAreServedAndPreferred() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docs-assets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("window.SwaggerUIBundle = function () {}".utf8).write(to: URL(fileURLWithPath: directory + "/swagger-ui-bundle.js"))
        try Data("body {}".utf8).write(to: URL(fileURLWithPath: directory + "/swagger-ui.css"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: directory + "/.env"))
        let docs = DocsConfiguration(title: "T <&>", openAPIJSON: Array("{}".utf8), assetsDirectory: directory)
        try await makeTestApplication(docs: docs).test(.router) { client in
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(page.text.contains(#"<script src="/docs/static/swagger-ui-bundle.js"></script>"#))
            #expect(page.text.contains(#"href="/docs/static/swagger-ui.css""#))
            #expect(page.text.contains("<title>T &lt;&amp;&gt; - Swagger UI</title>"))
            // ReDoc is not in the folder: it still comes from the CDN.
            let redoc = try await client.execute(uri: "/redoc", method: .get)
            #expect(redoc.text.contains("https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"))

            let script = try await client.execute(uri: "/docs/static/swagger-ui-bundle.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text == "window.SwaggerUIBundle = function () {}")
            let css = try await client.execute(uri: "/docs/static/swagger-ui.css", method: .get)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")

            for attempt in [
                "/docs/static/.env", "/docs/static/..%2F..%2Fetc%2Fpasswd", "/docs/static/%2e%2e", "/docs/static/../../etc/passwd",
                "/docs/static/nope.js",
            ] {
                let response = try await client.execute(uri: attempt, method: .get)
                #expect(response.status == .notFound, "\(attempt)")
                #expect(!response.text.contains("secret"))
            }
        }
    }
}
