import Foundation
import HummingbirdTesting
import Logging
import ServerRuntime
import Synchronization
import Testing

/// The runtime's request metrics on the generated routes: labelled by the document's operation
/// ids, whatever trailing slash or capture the route has.
@Suite("Metrics route")
struct MetricsRouteTests {
    static let document = Array(
        #"""
        {"paths": {
          "/api/v1/items/": {"get": {"operationId": "readItems"}, "post": {"operationId": "createItem"}, "parameters": []},
          "/api/v1/items/{id}": {"get": {"operationId": "readItem"}, "summary": "one item"}
        }}
        """#.utf8)

    func application(token: String? = nil) throws -> some ApplicationProtocol {
        let metrics = MetricsConfiguration(operations: try OperationTable(openAPIDocument: Self.document), bearerToken: token)
        let configuration = APIConfiguration(metrics: metrics)
        let router = APIApplication.makeRouter(configuration: configuration)
        registerAPIRoutes(
            on: router, items: InMemoryItems(), login: InMemoryLogin(), security: TestSecurityHandler(), configuration: configuration.routes
        )
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return APIApplication.makeApplication(router: router, configuration: configuration, logger: logger)
    }

    @Test func tableReadsOperationsOfTheDocument() throws {
        let table = try OperationTable(openAPIDocument: Self.document)
        #expect(table.operationIDs == ["readItems", "createItem", "readItem"])
        #expect(table.operationID(method: .get, route: "/api/v1/items") == "readItems")
        #expect(table.operationID(method: .get, route: "/api/v1/items/{id}") == "readItem")
        #expect(table.operationID(method: .delete, route: "/api/v1/items/{id}") == nil)
        #expect(throws: (any Error).self) { try OperationTable(openAPIDocument: Array("not json".utf8)) }
    }

    @Test func requestsAreCountedByOperationID() async throws {
        let app = try application()
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/api/v1/items/", method: .get, headers: bearer).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/items/", method: .get).status == .unauthorized)
            // The test's generated routes have no `/api/v1/items/{id}`.
            #expect(try await client.execute(uri: "/api/v1/items/\(UUID())", method: .get, headers: bearer).status == .notFound)
            let scrape = try await client.execute(uri: "/metrics", method: .get)
            #expect(scrape.status == .ok)
            let text = scrape.text
            #expect(text.contains(#"http_requests_total{operation="readItems"} 2"#), "\(text)")
            #expect(text.contains(#"http_request_errors_total{operation="readItems",status_class="4xx"} 1"#))
            #expect(text.contains(#"http_request_errors_total{operation="readItems",status_class="5xx"} 0"#))
            #expect(text.contains(#"http_requests_total{operation="NotFound"} 1"#))
            #expect(text.contains(#"http_request_errors_total{operation="NotFound",status_class="4xx"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_count{operation="readItems"} 2"#))
            #expect(text.contains(#"http_requests_total{operation="createItem"} 0"#), "every operation is listed from the start")
            #expect(text.contains(#"http_requests_total{operation="readItem"} 0"#))
        }
    }

    @Test func bearerTokenGuardsTheScrape() async throws {
        let app = try application(token: "secret")
        try await app.test(.router) { client async throws in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer other!"]).status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer secret"]).status == .ok)
        }
    }

    @Test func jsonLogLinesCarryTheRequestAndTraceIDs() throws {
        let lines = LockedLines()
        var logger = Logger(label: "json") { label in JSONLogHandler(label: label, sink: lines.append) }
        logger[metadataKey: RequestIdentifier.metadataKey] = "req-1"
        logger[metadataKey: TraceParent.traceIDMetadataKey] = "4bf92f3577b34da6a3ce929d0e0e4736"
        logger.info("hello \"world\"\nsecond line", metadata: ["count": .stringConvertible(3), "list": ["a", "b"]])
        let written = lines.all
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")))
        let object = try JSONParser.parse(Array(line.dropLast()))
        #expect(object["message"] == "hello \"world\"\nsecond line")
        #expect(object["level"] == "info")
        #expect(object["request_id"] == "req-1")
        #expect(object["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(object["metadata"]?["count"] == "3")
        #expect(object["metadata"]?["list"] == ["a", "b"])
    }
}

final class LockedLines: Sendable {
    private let lines = Mutex<[[UInt8]]>([])
    func append(_ line: [UInt8]) { lines.withLock { $0.append(line) } }
    var all: [[UInt8]] { lines.withLock { $0 } }
}
