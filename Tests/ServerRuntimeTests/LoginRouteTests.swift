import HummingbirdTesting
import ServerRuntime
import Testing

@Suite("Generated routes: login form")
struct LoginRouteTests {
    let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func passwordGrant() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/login/access-token",
                method: .post,
                headers: self.form,
                body: buffer("grant_type=password&username=alice%40example.com&password=secret&scope=")
            )
            #expect(response.status == .ok)
            #expect(response.text == #"{"access_token":"good-token","token_type":"bearer"}"#)
        }
    }

    @Test func wrongPasswordIs400() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/login/access-token",
                method: .post,
                headers: self.form,
                body: buffer("username=alice%40example.com&password=nope")
            )
            #expect(response.status == .badRequest)
            #expect(response.text == #"{"detail":"Incorrect email or password"}"#)
        }
    }

    @Test func grantTypePattern() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/login/access-token",
                method: .post,
                headers: self.form,
                body: buffer("grant_type=x&username=u&password=p")
            )
            #expect(response.status == .unprocessableContent)
            #expect(
                response.text
                    == #"{"detail":[{"type":"string_pattern_mismatch","loc":["body","grant_type"],"msg":"String should match pattern '^password$'","input":"x","ctx":{"pattern":"^password$"}}]}"#
            )
        }
    }

    @Test func missingFieldsAreListedTogether() async throws {
        try await makeTestApplication().test(.router) { client in
            // Empty values count as not filled in, as in FastAPI.
            let response = try await client.execute(
                uri: "/api/v1/login/access-token", method: .post, headers: self.form, body: buffer("username=&scope=x"))
            let detail = try #require(try response.json["detail"]?.arrayValue)
            #expect(detail.map { $0["loc"] } == [["body", "username"], ["body", "password"]])
            #expect(detail.allSatisfy { $0["type"] == "missing" && $0["msg"] == "Field required" })
            // A JSON body on a form route reads as an empty form.
            let json = try await client.execute(
                uri: "/api/v1/login/access-token",
                method: .post,
                headers: [.contentType: "application/json"],
                body: buffer(#"{"username":"u","password":"p"}"#)
            )
            #expect(try json.json["detail"]?.arrayValue?.count == 2)
        }
    }

    @Test func multipartFormWorksToo() async throws {
        try await makeTestApplication().test(.router) { client in
            let body =
                "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice@example.com\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nsecret\r\n--XyZ--\r\n"
            let response = try await client.execute(
                uri: "/api/v1/login/access-token",
                method: .post,
                headers: [.contentType: "multipart/form-data; boundary=XyZ"],
                body: buffer(body)
            )
            #expect(response.status == .ok)
        }
    }
}
