import HummingbirdTesting
import ServerRuntime
import Testing

/// The same application over a real socket: streamed bodies, headers on the wire.
@Suite("Live server")
struct LiveServerTests {
    @Test func servesOverHTTP() async throws {
        try await makeTestApplication(maxBodySize: 4096).test(.live) { client in
            let created = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(#"{"title":"Milk"}"#))
            #expect(created.status == .ok)
            #expect(try created.json["title"] == "Milk")
            #expect(created.headers[RequestIdentifier.headerName] != nil)

            let big = try await client.execute(
                uri: "/api/v1/items/", method: .post, headers: jsonContent, body: buffer(String(repeating: " ", count: 10_000)))
            #expect(big.status == .contentTooLarge)

            let invalid = try await client.execute(uri: "/api/v1/items/?limit=x&skip=-2", method: .get, headers: bearer)
            #expect(try invalid.json["detail"]?.arrayValue?.count == 2)
        }
    }
}
