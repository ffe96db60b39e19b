import HummingbirdTesting
import ServerRuntime
import Testing

@Suite("CORS")
struct CORSTests {
    @Test func preflightFromAllowedOrigin() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/items/",
                method: .options,
                headers: [
                    .origin: "http://localhost:5173", .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "authorization, content-type",
                ]
            )
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:5173")
            #expect(response.headers[.accessControlAllowCredentials] == "true")
            #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(response.headers[.accessControlAllowHeaders] == "authorization, content-type")
            #expect(response.headers[.accessControlMaxAge] == "600")
            #expect(response.headers[RequestIdentifier.headerName] != nil)
        }
    }

    @Test func preflightFromOtherOriginIsRefused() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/items/",
                method: .options,
                headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"]
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            #expect(response.text == #"{"detail":"Disallowed CORS origin"}"#)
        }
    }

    @Test func simpleRequestsAndErrorsGetHeaders() async throws {
        try await makeTestApplication().test(.router) { client in
            let ok = try await client.execute(
                uri: "/api/v1/items/", method: .get, headers: [.origin: "http://localhost:5173", .authorization: "Bearer good-token"])
            #expect(ok.headers[.accessControlAllowOrigin] == "http://localhost:5173")
            #expect(ok.headers[.accessControlExposeHeaders] == "x-request-id")
            // A 401 must be readable by the page too, or it cannot tell the user to log in.
            let unauthorized = try await client.execute(uri: "/api/v1/items/", method: .get, headers: [.origin: "http://localhost:5173"])
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers[.accessControlAllowOrigin] == "http://localhost:5173")
            #expect(unauthorized.headers[.vary] == "Origin")
            let foreign = try await client.execute(
                uri: "/api/v1/items/", method: .get, headers: [.origin: "https://evil.example", .authorization: "Bearer good-token"])
            #expect(foreign.status == .ok)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func wildcardWithCredentialsNamesTheOrigin() async throws {
        try await makeTestApplication(cors: CORSPolicy(allowedOrigins: ["*"])).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/items/", method: .options, headers: [.origin: "https://any.example", .accessControlRequestMethod: "GET"])
            #expect(response.headers[.accessControlAllowOrigin] == "https://any.example")
        }
        try await makeTestApplication(cors: CORSPolicy(allowedOrigins: ["*"], allowCredentials: false)).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/items/", method: .options, headers: [.origin: "https://any.example", .accessControlRequestMethod: "GET"])
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(response.headers[.accessControlAllowCredentials] == nil)
        }
    }
}
