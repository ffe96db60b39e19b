import App
import Database
import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

@Suite("Utils and private routes")
struct UtilsTests {
    @Test func healthCheckIsTrue() async throws {
        try await TestApp.run { app, client in
            let response = try await client.send(.get, "/api/v1/utils/health-check/")
            #expect(response.status == .ok)
            #expect(response.text == "true")
        }
    }

    @Test func testEmailIsSentBySuperusers() async throws {
        try await TestApp.run { app, client in
            let superuser = try await app.loginSuperuser(client)
            let sent = try await client.send(.post, "/api/v1/utils/test-email/?email_to=someone@example.com", headers: superuser)
            #expect(sent.status == .created)
            #expect(try sent.json["message"] == "Test email sent")
            #expect(await app.emails.sent.map(\.to) == ["someone@example.com"])

            let invalid = try await client.send(.post, "/api/v1/utils/test-email/?email_to=nope", headers: superuser)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.locations == [["query", "email_to"]])
        }
    }

    @Test func privateCreateUserWorksOnlyLocally() async throws {
        try await TestApp.run { app, client in
            let body = #"{"email":"e2e@example.com","password":"e2e-password","full_name":"End To End"}"#
            let created = try await client.send(.post, "/api/v1/private/users/", json: body)
            #expect(created.status == .ok)
            #expect(try created.json["full_name"] == "End To End")
            _ = try await app.login(client, email: "e2e@example.com", password: "e2e-password")
            // The spec documents this 400 now (the template answers 500).
            let duplicate = try await client.send(.post, "/api/v1/private/users/", json: body)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.detail == "The user with this email already exists in the system.")
        }
        try await TestApp.run(settings: ["ENVIRONMENT": "staging"]) { app, client in
            let response = try await client.send(
                .post, "/api/v1/private/users/", json: #"{"email":"e2e@example.com","password":"e2e-password","full_name":"E"}"#)
            #expect(response.status == .notFound)
        }
    }

    /// Fuzz finding (schemathesis ST108): the private route stored any e-mail address (`""`, a
    /// 300-character one) and full name, then answered, and listed, users that break `UserPublic`.
    /// It checks them as `UserCreate` does now, and stores nothing it refuses.
    @Test func privateCreateUserChecksTheEmailAndFullName() async throws {
        try await TestApp.run { app, client in
            let longName = String(repeating: "n", count: 256)
            let longEmail = String(repeating: "e", count: 60) + "@" + String(repeating: "d", count: 250) + ".com"
            let cases: [(String, [[LocationSegment]])] = [
                (#"{"email":"","password":"p","full_name":"F"}"#, [["body", "email"]]),
                (#"{"email":"not an address","password":"p","full_name":"F"}"#, [["body", "email"]]),
                (#"{"email":"\#(longEmail)","password":"p","full_name":"F"}"#, [["body", "email"]]),
                (#"{"email":"ok@example.com","password":"p","full_name":"\#(longName)"}"#, [["body", "full_name"]]),
                (#"{"email":"ok@example.com","password":"p","full_name":"a\u0000"}"#, [["body", "full_name"]]),
            ]
            for (body, locations) in cases {
                let response = try await client.send(.post, "/api/v1/private/users/", json: body)
                #expect(response.status == .unprocessableContent, "\(body.prefix(60))")
                #expect(response.locations == locations, "\(body.prefix(60))")
            }
            let users = try await app.dependencies.users.list(skip: 0, limit: 100)
            #expect(users.map(\.email) == [TestApp.superuserEmail])
        }
    }

    @Test func corsAllowsTheConfiguredOrigins() async throws {
        try await TestApp.run { app, client in
            let preflight = try await client.execute(
                uri: "/api/v1/items/", method: .options,
                headers: [HTTPField.Name("Origin")!: "http://localhost:5173", HTTPField.Name("Access-Control-Request-Method")!: "GET"])
            #expect(preflight.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "http://localhost:5173")
            let foreign = try await client.execute(
                uri: "/api/v1/utils/health-check/", method: .get, headers: [HTTPField.Name("Origin")!: "http://evil.example"])
            #expect(foreign.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == nil)
        }
    }

    @Test func docsServeTheGeneratedDocumentAndTheSpec() async throws {
        let (docs, problems) = ExampleApp.docsConfiguration(
            title: "Full Stack Example API",
            openAPIJSON: TestDatabase.repository.appendingPathComponent("Generated/openapi.json"),
            openAPIYAML: TestDatabase.repository.appendingPathComponent("spec/openapi.yaml"))
        #expect(problems.isEmpty)
        try await TestApp.run(docs: docs) { app, client in
            let json = try await client.send(.get, "/openapi.json")
            #expect(json.status == .ok)
            #expect(try json.json["paths"]?["/api/v1/items/"] != nil)
            let yaml = try await client.send(.get, "/openapi.yaml")
            #expect(yaml.status == .ok)
            #expect(yaml.text.hasPrefix("openapi: 3.1"))
            for page in ["/docs", "/redoc"] {
                let response = try await client.send(.get, page)
                #expect(response.status == .ok, "\(page)")
            }
        }
        let (_, missing) = ExampleApp.docsConfiguration(
            title: "x", openAPIJSON: URL(fileURLWithPath: "/nonexistent/openapi.json"), openAPIYAML: nil)
        #expect(missing.count == 1)
    }

    /// Fuzz finding (schemathesis ST103): readUserMe validated its `If-None-Match` header's
    /// `maxLength` but documented no 422. Every operation the server validates input for (a
    /// parameter or a body) must document the 422 that validation answers.
    @Test func everyOperationWithInputDocuments422() throws {
        let data = try Data(contentsOf: TestDatabase.repository.appendingPathComponent("Generated/openapi.json"))
        let document = try JSONParser.parse(Array(data))
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"]
        var undocumented: [String] = []
        for path in document["paths"]?.objectValue?.members ?? [] {
            for operation in path.value.objectValue?.members ?? [] where methods.contains(operation.key) {
                let takesInput =
                    !(operation.value["parameters"]?.arrayValue ?? []).isEmpty
                    || !(path.value["parameters"]?.arrayValue ?? []).isEmpty || operation.value["requestBody"] != nil
                if takesInput, operation.value["responses"]?["422"] == nil {
                    undocumented.append("\(operation.key.uppercased()) \(path.key)")
                }
            }
        }
        #expect(undocumented.isEmpty, "no 422: \(undocumented)")
    }
}
