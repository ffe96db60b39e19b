import App
import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

@Suite("Items")
struct ItemsTests {
    @Test func ownerCreatesReadsUpdatesAndDeletes() async throws {
        try await TestApp.run { app, client in
            let (owner, headers) = try await app.userWithToken(client, email: "owner@example.com")
            let created = try await client.send(
                .post, "/api/v1/items/", headers: headers, json: #"{"title":"Milk","description":"2 litres"}"#)
            #expect(created.status == .ok)
            #expect(try created.json["title"] == "Milk")
            #expect(try created.json["owner_id"]?.stringValue == owner.id.uuidString.lowercased())
            let id = try #require(try created.json["id"]?.stringValue)

            let read = try await client.send(.get, "/api/v1/items/\(id)", headers: headers)
            #expect(read.status == .ok)
            #expect(try read.json["description"] == "2 litres")

            // Only the fields present change.
            let updated = try await client.send(.put, "/api/v1/items/\(id)", headers: headers, json: #"{"title":"Oat milk"}"#)
            #expect(updated.status == .ok)
            #expect(try updated.json["title"] == "Oat milk")
            #expect(try updated.json["description"] == "2 litres")

            let list = try await client.send(.get, "/api/v1/items/", headers: headers)
            #expect(try list.json["count"] == 1)
            #expect(try list.json["data"]?.arrayValue?.first?["id"]?.stringValue == id)

            let deleted = try await client.send(.delete, "/api/v1/items/\(id)", headers: headers)
            #expect(deleted.status == .ok)
            #expect(try deleted.json["message"] == "Item deleted successfully")
            let gone = try await client.send(.get, "/api/v1/items/\(id)", headers: headers)
            #expect(gone.status == .notFound)
            #expect(gone.detail == "Item not found")
        }
    }

    @Test func otherUsersAre403AndSuperusersMayDoAnything() async throws {
        try await TestApp.run { app, client in
            let (_, owner) = try await app.userWithToken(client, email: "owner@example.com")
            let (_, stranger) = try await app.userWithToken(client, email: "stranger@example.com")
            let superuser = try await app.loginSuperuser(client)
            let created = try await client.send(.post, "/api/v1/items/", headers: owner, json: #"{"title":"Private"}"#)
            let id = try #require(try created.json["id"]?.stringValue)

            for (method, body) in [(HTTPRequest.Method.get, nil), (.put, #"{"title":"Mine now"}"#), (.delete, nil)]
                as [(HTTPRequest.Method, String?)]
            {
                let response = try await client.send(method, "/api/v1/items/\(id)", headers: stranger, json: body)
                #expect(response.status == .forbidden, "\(method)")
                #expect(response.text == #"{"detail":"Not enough permissions"}"#)
            }
            let strangersList = try await client.send(.get, "/api/v1/items/", headers: stranger)
            #expect(try strangersList.json["count"] == 0)

            let read = try await client.send(.get, "/api/v1/items/\(id)", headers: superuser)
            #expect(read.status == .ok)
            let updated = try await client.send(.put, "/api/v1/items/\(id)", headers: superuser, json: #"{"description":"seen by admin"}"#)
            #expect(updated.status == .ok)
            #expect(try updated.json["title"] == "Private")
            #expect(try updated.json["description"] == "seen by admin")
            let all = try await client.send(.get, "/api/v1/items/", headers: superuser)
            #expect(try all.json["count"] == 1)
            let deleted = try await client.send(.delete, "/api/v1/items/\(id)", headers: superuser)
            #expect(deleted.status == .ok)
        }
    }

    @Test func unknownItemIs404() async throws {
        try await TestApp.run { app, client in
            let headers = try await app.loginSuperuser(client)
            let unknown = UUID().uuidString.lowercased()
            for (method, body) in [(HTTPRequest.Method.get, nil), (.put, #"{"title":"x"}"#), (.delete, nil)]
                as [(HTTPRequest.Method, String?)]
            {
                let response = try await client.send(method, "/api/v1/items/\(unknown)", headers: headers, json: body)
                #expect(response.status == .notFound, "\(method)")
                #expect(response.text == #"{"detail":"Item not found"}"#)
            }
        }
    }

    @Test func invalidBodiesAndParametersAre422AtTheirLocation() async throws {
        try await TestApp.run { app, client in
            let headers = try await app.loginSuperuser(client)
            let emptyTitle = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"title":""}"#)
            #expect(emptyTitle.status == .unprocessableContent)
            #expect(emptyTitle.locations == [["body", "title"]])
            #expect(try emptyTitle.json["detail"]?.arrayValue?.first?["type"] == "string_too_short")

            let missingTitle = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"description":"no title"}"#)
            #expect(missingTitle.locations == [["body", "title"]])

            let longDescription = String(repeating: "x", count: 256)
            let tooLong = try await client.send(
                .put, "/api/v1/items/\(UUID())", headers: headers, json: #"{"description":"\#(longDescription)"}"#)
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.locations == [["body", "description"]])

            let badID = try await client.send(.get, "/api/v1/items/not-a-uuid", headers: headers)
            #expect(badID.status == .unprocessableContent)
            #expect(badID.locations == [["path", "id"]])
            #expect(try badID.json["detail"]?.arrayValue?.first?["type"] == "uuid_parsing")

            let badPage = try await client.send(.get, "/api/v1/items/?skip=-1&limit=many", headers: headers)
            #expect(badPage.status == .unprocessableContent)
            #expect(badPage.locations == [["query", "skip"], ["query", "limit"]])

            let notJSON = try await client.send(.post, "/api/v1/items/", headers: headers, json: "{")
            #expect(notJSON.status == .unprocessableContent)
            #expect(notJSON.locations.first?.first == "body")
        }
    }

    /// Fuzz finding (schemathesis ST101): a title or description holding U+0000, which PostgreSQL
    /// text cannot store, was a 500; it is a 422 at the field, and nothing is stored or changed.
    @Test func nulInATitleOrDescriptionIs422() async throws {
        try await TestApp.run { app, client in
            let headers = try await app.loginSuperuser(client)
            let created = try await client.send(
                .post, "/api/v1/items/", headers: headers, json: #"{"title":"a\u0000","description":"\u0000"}"#)
            #expect(created.status == .unprocessableContent)
            #expect(created.locations == [["body", "title"], ["body", "description"]])
            #expect(try created.json["detail"]?.arrayValue?.first?["type"] == "value_error")
            let page = try await client.send(.get, "/api/v1/items/", headers: headers)
            #expect(try page.json["count"] == 0)

            let item = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"title":"clean"}"#)
            let id = try #require(try item.json["id"]?.stringValue)
            let updated = try await client.send(.put, "/api/v1/items/\(id)", headers: headers, json: #"{"title":"x\u0000y"}"#)
            #expect(updated.status == .unprocessableContent)
            #expect(updated.locations == [["body", "title"]])
            #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: headers).json["title"] == "clean")
        }
    }

    /// Fuzz finding (schemathesis ST202): `limit` or `skip` past 64 bits was a 422 for a value the
    /// spec allowed; the spec now says `format: int64` (PostgreSQL's bigint), and the largest such
    /// value is served.
    @Test func pagesTakeEverySixtyFourBitValue() async throws {
        try await TestApp.run { app, client in
            let headers = try await app.loginSuperuser(client)
            for path in ["/api/v1/items/", "/api/v1/users/"] {
                let largest = try await client.send(.get, "\(path)?skip=\(Int64.max)&limit=\(Int64.max)", headers: headers)
                #expect(largest.status == .ok, "\(path)")
                #expect(try largest.json["data"]?.arrayValue?.isEmpty == true)
                let past = try await client.send(.get, "\(path)?limit=9223372036854775808", headers: headers)
                #expect(past.status == .unprocessableContent, "\(path)")
                #expect(past.locations == [["query", "limit"]])
            }
        }
    }

    @Test func paginationCountsEveryPage() async throws {
        try await TestApp.run { app, client in
            let (_, headers) = try await app.userWithToken(client, email: "many@example.com")
            let (_, other) = try await app.userWithToken(client, email: "other@example.com")
            for index in 1...5 {
                let created = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"title":"Item \#(index)"}"#)
                #expect(created.status == .ok)
            }
            _ = try await client.send(.post, "/api/v1/items/", headers: other, json: #"{"title":"Someone else's"}"#)

            let page = try await client.send(.get, "/api/v1/items/?skip=1&limit=2", headers: headers)
            #expect(page.status == .ok)
            #expect(try page.json["count"] == 5)
            #expect(try page.json["data"]?.arrayValue?.count == 2)
            let last = try await client.send(.get, "/api/v1/items/?skip=4&limit=10", headers: headers)
            #expect(try last.json["data"]?.arrayValue?.count == 1)
            let beyond = try await client.send(.get, "/api/v1/items/?skip=50", headers: headers)
            #expect(try beyond.json["data"]?.arrayValue?.count == 0)
            #expect(try beyond.json["count"] == 5)

            // The pages together hold every item once.
            var seen = Set<String>()
            for skip in stride(from: 0, to: 5, by: 2) {
                let response = try await client.send(.get, "/api/v1/items/?skip=\(skip)&limit=2", headers: headers)
                for item in try response.json["data"]?.arrayValue ?? [] { seen.insert(item["id"]?.stringValue ?? "") }
            }
            #expect(seen.count == 5)

            let superuser = try await app.loginSuperuser(client)
            let everything = try await client.send(.get, "/api/v1/items/?limit=1", headers: superuser)
            #expect(try everything.json["count"] == 6)
            #expect(try everything.json["data"]?.arrayValue?.count == 1)
        }
    }
}
