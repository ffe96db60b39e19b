import Foundation
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import ServerRuntime
import TestProcesses
import Testing

/// `CoalescedFlush`: a flush waits for the loop's queued tasks, and nothing written is lost to a
/// close, a removal or a pipeline of requests.
@Suite("Coalesced flush")
struct CoalescedFlushTests {
    @Test func aFlushWaitsForTheLoopsQueuedTasks() throws {
        let channel = EmbeddedChannel(handler: CoalescedFlush())
        channel.write(ByteBuffer(string: "first"), promise: nil)
        channel.flush()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "flushed before the loop ran its tasks")
        channel.write(ByteBuffer(string: "second"), promise: nil)
        channel.flush()
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "first"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "second"))
        #expect(try channel.finish().isClean)
    }

    /// A real socket fails the writes still unflushed when it closes, so the flush must reach
    /// the transport before the close does.
    @Test func aCloseFlushesWhatIsPendingFirst() throws {
        let events = OutboundEvents()
        let channel = EmbeddedChannel(handlers: [events, CoalescedFlush()])
        channel.writeAndFlush(ByteBuffer(string: "answer"), promise: nil)
        _ = channel.close()
        #expect(events.seen == ["write", "flush", "close"])
        channel.embeddedEventLoop.run()
        #expect(events.seen == ["write", "flush", "close"], "a second flush after the close")
    }

    @Test func aRemovalFlushesWhatIsPendingFirst() throws {
        let events = OutboundEvents()
        let handler = CoalescedFlush()
        let channel = EmbeddedChannel(handlers: [events, handler])
        channel.writeAndFlush(ByteBuffer(string: "before the upgrade"), promise: nil)
        try channel.pipeline.syncOperations.removeHandler(handler).wait()
        #expect(events.seen == ["write", "flush"])
        channel.embeddedEventLoop.run()  // the deferred flush finds nothing left to do
        #expect(events.seen == ["write", "flush"])
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "before the upgrade"))
        #expect(try channel.finish().isClean)
    }

    /// Fifty requests in one write, the last asking to close: fifty answers in order, then EOF.
    @Test func pipelinedRequestsAllGetTheirAnswers() async throws {
        try await makeTestApplication().test(.live) { client in
            let socket = try RawHTTPClient(port: try #require(client.port))
            defer { socket.close() }
            let requests = (0..<50).map { index in
                "GET /api/v1/items/?skip=\(index) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer good-token\r\n"
                    + (index == 49 ? "Connection: close\r\n" : "") + "\r\n"
            }
            try socket.send(requests.joined())
            let received = String(decoding: try await socket.receiveUntilClosed(), as: UTF8.self)
            #expect(received.components(separatedBy: "HTTP/1.1 200 OK\r\n").count - 1 == 50)
        }
    }

    /// A body far above the socket's buffers, asked for with `Connection: close`: every byte
    /// arrives before the server closes.
    @Test func aLargeAnswerBeforeACloseArrivesWhole() async throws {
        let document = #"{"openapi":"3.1.0","x-padding":""# + String(repeating: "x", count: 4 << 20) + #""}"#
        let docs = DocsConfiguration(title: "Big", openAPIJSON: Array(document.utf8), openAPIYAML: Array("openapi: 3.1.0\n".utf8))
        try await makeTestApplication(docs: docs).test(.live) { client in
            let socket = try RawHTTPClient(port: try #require(client.port))
            defer { socket.close() }
            try socket.send("GET /openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let received = try await socket.receiveUntilClosed()
            let separator = Array("\r\n\r\n".utf8)
            let headEnd = try #require(
                (0...(received.count - separator.count)).first { Array(received[$0..<$0 + separator.count]) == separator })
            #expect(received.count - headEnd - separator.count == document.utf8.count)
        }
    }
}

/// Records the outbound operations that pass it on their way to the transport.
private final class OutboundEvents: ChannelOutboundHandler {
    typealias OutboundIn = Never
    var seen: [String] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        seen.append("write")
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        seen.append("flush")
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        seen.append("close")
        context.close(mode: mode, promise: promise)
    }
}
