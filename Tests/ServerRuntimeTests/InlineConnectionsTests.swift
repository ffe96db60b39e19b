import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import ServerRuntime
import Testing

/// Which connections run their requests in their own task (`InlineConnections`), on their own
/// and behind a live server's gate.
@Suite("Inline connections")
struct InlineConnectionsTests {
    @Test func admitsUpToTheLimitAndKeepsAConnectionUntilItCloses() async throws {
        let inline = InlineConnections(limit: 2)
        let first = EmbeddedChannel()
        let second = EmbeddedChannel()
        let third = EmbeddedChannel()
        #expect(inline.admit(first))
        #expect(inline.admit(second))
        #expect(!inline.admit(third), "a third connection past the limit goes to child tasks")
        #expect(inline.admit(first), "an admitted connection stays admitted")
        #expect(inline.count == 2)
        try await first.close()
        first.embeddedEventLoop.run()  // the close future's callbacks
        #expect(inline.count == 1, "a closed connection frees its place")
        #expect(inline.admit(third))
        #expect(!inline.admit(first), "a closed connection is not admitted again: no place is free")
        #expect(inline.count == 2)
        _ = try? await second.close()
        _ = try? await third.close()
        second.embeddedEventLoop.run()
        third.embeddedEventLoop.run()
        #expect(inline.count == 0)
    }

    @Test func aLimitOfZeroAdmitsNone() {
        let inline = InlineConnections(limit: 0)
        let channel = EmbeddedChannel()
        #expect(!inline.admit(channel))
        #expect(inline.count == 0)
    }

    @Test func anAlreadyClosedConnectionIsNotKept() async throws {
        let inline = InlineConnections(limit: 1)
        let closed = EmbeddedChannel()
        try await closed.close()
        _ = inline.admit(closed)
        closed.embeddedEventLoop.run()
        #expect(inline.count == 0)
        #expect(inline.admit(EmbeddedChannel()))
    }

    /// Over real connections: the requests of the first connection run in its task (it counts
    /// while open), a connection past the limit still gets its answers, and closing frees the place.
    @Test func aLiveServerRunsTheFirstConnectionsInline() async throws {
        var configuration = APIConfiguration(cors: nil, docs: nil)
        configuration.requestLimit = 4
        let gate = try #require(configuration.requestGate)
        #expect(gate.inlineConnections.limit == RequestGate.defaultInlineConnections)
        let limited = RequestGate(limit: 4, inlineConnections: 1)
        let router = APIApplication.makeRouter(configuration: configuration)
        router.get("/hello") { _, _ in "hello" }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let application = Application(
            responder: GatedResponder(router.buildResponder(), gate: limited), logger: logger)
        try await application.test(.live) { first in
            let port = try #require(first.port)
            for _ in 0..<3 {
                let answer = try await first.execute(uri: "/hello", method: .get)
                #expect(String(buffer: answer.body) == "hello")
            }
            #expect(limited.inlineConnections.count == 1)
            try await TestClient.withClient(host: "127.0.0.1", port: port) { second in
                let answer = try await second.get("/hello")
                #expect(answer.body.map { String(buffer: $0) } == "hello", "past the limit, requests run in child tasks")
                #expect(limited.inlineConnections.count == 1)
            }
        }
        try await RequestGateTests.until { limited.inlineConnections.count == 0 }
    }
}
