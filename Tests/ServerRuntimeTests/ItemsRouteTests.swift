import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

@Suite("Generated routes: items")
struct ItemsRouteTests {
    @Test func createThenReadItems() async throws {
        let app = makeTestApplication()
        try await app.test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/items/",
                method: .post,
                headers: jsonContent,
                body: buffer(#"{"title":"Milk","description":"2 litres"}"#)
            )
            #expect(created.status == .ok)
            #expect(created.headers[.contentType] == "application/json")
            let item = try created.json
            #expect(item["title"] == "Milk")
            #expect(item["owner_id"] == "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
            #expect(item["created_at"] == "2023-11-14T22:13:20.500000Z")
            // FastAPI order and conventions: every field, lowercase UUID, null written out.
            let bare = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title":"Eggs"}"#))
            #expect(bare.text.hasPrefix(#"{"title":"Eggs","description":null,"id":""#))

            let page = try await client.execute(uri: "/api/v1/items/", method: .get, headers: bearer)
            #expect(page.status == .ok)
            #expect(try page.json["count"] == 2)
            #expect(try page.json["data"]?.arrayValue?.count == 2)

            let second = try await client.execute(uri: "/api/v1/items/?skip=1&limit=5", method: .get, headers: bearer)
            #expect(try second.json["data"]?.arrayValue?.first?["title"] == "Eggs")
        }
    }

    @Test func missingTokenIs401WithBearerChallenge() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/items/", method: .get)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
            #expect(response.text == #"{"detail":"Not authenticated"}"#)
            // Another scheme than Bearer is no token either.
            let basic = try await client.execute(uri: "/api/v1/items/", method: .get, headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
            #expect(basic.text == #"{"detail":"Not authenticated"}"#)
        }
    }

    @Test func badTokenIs401AndInactiveIs400() async throws {
        try await makeTestApplication().test(.router) { client in
            let bad = try await client.execute(uri: "/api/v1/items/", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate] == "Bearer")
            #expect(bad.text == #"{"detail":"Could not validate credentials"}"#)
            let inactive = try await client.execute(uri: "/api/v1/items/", method: .get, headers: [.authorization: "bearer inactive-token"])
            #expect(inactive.status == .badRequest)
            #expect(inactive.text == #"{"detail":"Inactive user"}"#)
        }
    }

    /// A principal whose check is deferred is settled after the handler: a passing check keeps
    /// the handler's answer, a failing one replaces it, whether the handler returned or threw.
    @Test func deferredPrincipalIsSettledAfterTheHandler() async throws {
        try await makeTestApplication().test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: [.authorization: "Bearer deferred-token", .contentType: "application/json"],
                body: buffer(#"{"title":"Milk"}"#))
            #expect(created.status == .ok)
            let page = try await client.execute(uri: "/api/v1/items/", method: .get, headers: [.authorization: "Bearer deferred-token"])
            #expect(page.status == .ok)
            #expect(try page.json["count"] == 1)

            // The handler answered 200 without settling: the failed check is the answer.
            let gone = try await client.execute(
                uri: "/api/v1/items/", method: .get, headers: [.authorization: "Bearer deferred-gone-token"])
            #expect(gone.status == .unauthorized)
            #expect(gone.text == #"{"detail":"Could not validate credentials"}"#)
            // The handler threw: the failed check wins over its error.
            let thrown = try await client.execute(
                uri: "/api/v1/items/", method: .post,
                headers: [.authorization: "Bearer deferred-gone-token", .contentType: "application/json"],
                body: buffer(#"{"title":"boom"}"#))
            #expect(thrown.status == .unauthorized)
            #expect(thrown.text == #"{"detail":"Could not validate credentials"}"#)
            // A passing check leaves the handler's error alone.
            let bug = try await client.execute(
                uri: "/api/v1/items/", method: .post,
                headers: [.authorization: "Bearer deferred-token", .contentType: "application/json"], body: buffer(#"{"title":"boom"}"#))
            #expect(bug.status == .internalServerError)
        }
    }

    /// An unsafe request's deferred check is settled before its handler, which then never runs
    /// for a failing check; only a principal that says the handler guards its writes waits.
    @Test func deferredPrincipalIsSettledBeforeAnUnsafeHandler() async throws {
        try await makeTestApplication().test(.router) { client in
            let refused = try await client.execute(
                uri: "/api/v1/items/", method: .post,
                headers: [.authorization: "Bearer deferred-gone-token", .contentType: "application/json"],
                body: buffer(#"{"title":"Milk"}"#))
            #expect(refused.status == .unauthorized)
            #expect(refused.text == #"{"detail":"Could not validate credentials"}"#)
            let none = try await client.execute(uri: "/api/v1/items/", method: .get, headers: bearer)
            #expect(try none.json["count"] == 0, "the handler ran for a refused caller")

            // Trusted to guard its writes: the handler runs (this in-memory one does not guard),
            // and the failed check still answers.
            let guarded = try await client.execute(
                uri: "/api/v1/items/", method: .post,
                headers: [.authorization: "Bearer guarding-gone-token", .contentType: "application/json"],
                body: buffer(#"{"title":"Milk"}"#))
            #expect(guarded.status == .unauthorized)
            let one = try await client.execute(uri: "/api/v1/items/", method: .get, headers: bearer)
            #expect(try one.json["count"] == 1)
        }
    }

    /// A deferred check answers before the input's errors, as FastAPI's dependencies do.
    @Test func deferredCheckAnswersBeforeInputErrors() async throws {
        try await makeTestApplication().test(.router) { client in
            let query = try await client.execute(
                uri: "/api/v1/items/?skip=-1", method: .get, headers: [.authorization: "Bearer deferred-gone-token"])
            #expect(query.status == .unauthorized)
            let body = try await client.execute(
                uri: "/api/v1/items/", method: .post,
                headers: [.authorization: "Bearer guarding-gone-token", .contentType: "application/json"], body: buffer("{}"))
            #expect(body.status == .unauthorized)
            let passing = try await client.execute(
                uri: "/api/v1/items/?skip=-1", method: .get, headers: [.authorization: "Bearer deferred-token"])
            #expect(passing.status == .unprocessableContent)
        }
    }

    /// Each generated route tells the security handler which operation it serves, so a handler can
    /// single out operations by the spec's identity instead of the request's path.
    @Test func theRouteNamesItsOperationToTheSecurityHandler() async throws {
        try await makeTestApplication().test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer create-only-token", .contentType: "application/json"]
            let created = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: headers, body: buffer(#"{"title":"mine"}"#))
            #expect(created.status == .ok)
            let listed = try await client.execute(uri: "/api/v1/items/", method: .get, headers: headers)
            #expect(listed.status == .unauthorized)
            #expect(listed.text.contains("Not for readItems"))
        }
    }

    @Test func queryErrorsAreAllListed() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/items/?skip=-1&limit=abc", method: .get, headers: bearer)
            #expect(response.status == .unprocessableContent)
            #expect(
                response.text
                    == #"{"detail":[{"type":"greater_than_equal","loc":["query","skip"],"msg":"Input should be greater than or equal to 0","input":"-1","ctx":{"ge":0}},{"type":"int_parsing","loc":["query","limit"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}"#
            )
        }
    }

    @Test func bodyErrorsAreAllListed() async throws {
        try await makeTestApplication().test(.router) { client in
            let long = String(repeating: "x", count: 256)
            let response = try await client.execute(
                uri: "/api/v1/items/",
                method: .post,
                headers: jsonContent,
                body: buffer(#"{"title":"","description":"\#(long)"}"#)
            )
            #expect(response.status == .unprocessableContent)
            let detail = try #require(try response.json["detail"]?.arrayValue)
            #expect(detail.count == 2)
            #expect(
                detail[0] == [
                    "type": "string_too_short", "loc": ["body", "title"], "msg": "String should have at least 1 character", "input": "",
                    "ctx": ["min_length": 1],
                ])
            #expect(detail[1]["type"] == "string_too_long")
            #expect(detail[1]["loc"] == ["body", "description"])
            #expect(detail[1]["msg"] == "String should have at most 255 characters")
            #expect(detail[1]["ctx"] == ["max_length": 255])

            let wrongTypes = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title":5,"description":null}"#))
            #expect(
                wrongTypes.text
                    == #"{"detail":[{"type":"string_type","loc":["body","title"],"msg":"Input should be a valid string","input":5}]}"#)

            let missingTitle = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"description":"x"}"#))
            #expect(
                missingTitle.text
                    == #"{"detail":[{"type":"missing","loc":["body","title"],"msg":"Field required","input":{"description":"x"}}]}"#)

            let notObject = try await client.execute(uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer("[1]"))
            #expect(
                notObject.text
                    == #"{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":[1]}]}"#
            )
        }
    }

    @Test func invalidJSON() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title": }"#))
            #expect(response.status == .unprocessableContent)
            #expect(
                response.text
                    == #"{"detail":[{"type":"json_invalid","loc":["body",10],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}"#
            )
            let trailing = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title": "a",}"#))
            #expect(try trailing.json["detail"]?.arrayValue?.first?["loc"] == ["body", 14])
            #expect(
                try trailing.json["detail"]?.arrayValue?.first?["ctx"] == ["error": "Expecting property name enclosed in double quotes"])
            let notUTF8 = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent,
                body: ByteBuffer(bytes: Array(#"{"title": ""#.utf8) + [0xFF, 0x22, 0x7D]))
            #expect(notUTF8.status == .badRequest)
            #expect(notUTF8.text == #"{"detail":"There was an error parsing the body"}"#)
        }
    }

    @Test func missingBody() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/items/", method: .post, headers: bearer)
            #expect(response.status == .unprocessableContent)
            #expect(response.text == #"{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}"#)
        }
    }

    @Test func wrongContentTypeIs422LikeFastAPI() async throws {
        try await makeTestApplication().test(.router) { client in
            var headers = bearer
            headers[.contentType] = "text/plain"
            let response = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: headers, body: buffer(#"{"title": "a"}"#))
            #expect(response.status == .unprocessableContent)
            #expect(
                response.text
                    == #"{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"title\": \"a\"}"}]}"#
            )
            // No Content-Type at all: FastAPI parses it as JSON.
            let untyped = try await client.execute(uri: "/api/v1/items/", method: .post, headers: bearer, body: buffer(#"{"title": "a"}"#))
            #expect(untyped.status == .ok)
            // A +json type is JSON.
            headers[.contentType] = "application/vnd.api+json; charset=utf-8"
            let vendor = try await client.execute(uri: "/api/v1/items/", method: .post, headers: headers, body: buffer(#"{"title": "a"}"#))
            #expect(vendor.status == .ok)
        }
    }

    @Test func oversizeBodyIs413() async throws {
        try await makeTestApplication(maxBodySize: 1024).test(.router) { client in
            let body = #"{"title":""# + String(repeating: "x", count: 2000) + #""}"#
            let response = try await client.execute(uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(body))
            #expect(response.status == .contentTooLarge)
            #expect(response.text == #"{"detail":"Request body too large"}"#)
            #expect(response.headers[RequestIdentifier.headerName] != nil)
        }
    }

    @Test func unknownRouteAndWrongMethodAreJSON() async throws {
        try await makeTestApplication().test(.router) { client in
            let notFound = try await client.execute(uri: "/api/v1/nothing", method: .get)
            #expect(notFound.status == .notFound)
            #expect(notFound.headers[.contentType] == "application/json")
            #expect(notFound.text == #"{"detail":"Not Found"}"#)

            let notAllowed = try await client.execute(uri: "/api/v1/items/", method: .delete, headers: bearer)
            #expect(notAllowed.status == .methodNotAllowed)
            #expect(notAllowed.headers[.allow] == "GET, POST")
            #expect(notAllowed.text == #"{"detail":"Method Not Allowed"}"#)

            let loginGet = try await client.execute(uri: "/api/v1/login/access-token", method: .get)
            #expect(loginGet.status == .methodNotAllowed)
            #expect(loginGet.headers[.allow] == "POST")

            // Fuzz finding (schemathesis ST204): TRACE and QUERY, methods no operation declares, were 404.
            for method in [HTTPRequest.Method.trace, HTTPRequest.Method("QUERY")!] {
                let response = try await client.execute(uri: "/api/v1/items/", method: method, headers: bearer)
                #expect(response.status == .methodNotAllowed, "\(method)")
                #expect(response.headers[.allow] == "GET, POST")
                #expect(response.text == #"{"detail":"Method Not Allowed"}"#)
            }

            // HEAD follows GET.
            let head = try await client.execute(uri: "/api/v1/items/", method: .head, headers: bearer)
            #expect(head.status == .ok)
        }
    }

    @Test func serviceFailureIsBare500() async throws {
        try await makeTestApplication().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title":"boom"}"#))
            #expect(response.status == .internalServerError)
            #expect(response.text == #"{"detail":"Internal Server Error"}"#)
            #expect(!response.text.contains("secret"))
            #expect(response.headers[RequestIdentifier.headerName] != nil)
        }
    }

    @Test func requestIDIsEchoedOrMade() async throws {
        let items = InMemoryItems()
        try await makeTestApplication(items: items).test(.router) { client in
            var headers = jsonContent
            headers[RequestIdentifier.headerName] = "req-123.abc"
            let echoed = try await client.execute(uri: "/api/v1/items/", method: .post, headers: headers, body: buffer(#"{"title":"a"}"#))
            #expect(echoed.headers[RequestIdentifier.headerName] == "req-123.abc")
            // The service saw the same id.
            #expect(await items.lastRequestID == "req-123.abc")

            let made = try await client.execute(uri: "/nowhere", method: .get)
            let id = try #require(made.headers[RequestIdentifier.headerName])
            #expect(id.count >= 16)

            // Without one, the id the client gets is the one the service (and its logs) saw.
            let unnamed = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title":"b"}"#))
            let answered = try #require(unnamed.headers[RequestIdentifier.headerName])
            #expect(answered.count >= 16)
            #expect(await items.lastRequestID == answered)

            headers[RequestIdentifier.headerName] = "bad id\u{7F}<script>"
            let replaced = try await client.execute(uri: "/api/v1/items/", method: .get, headers: headers)
            #expect(replaced.headers[RequestIdentifier.headerName] != "bad id\u{7F}<script>")
        }
    }
}
