import NIOCore
import NIOEmbedded
import Testing

@testable import Redis

/// The handler's flush waits for the loop's queued work, so commands written in one turn of the
/// loop leave together; their replies still complete the promises in order.
@Suite struct RedisChannelHandlerTests {
    private static func request(_ text: String, on loop: EmbeddedEventLoop) -> (RedisChannelRequest, EventLoopFuture<RedisReply>) {
        let promise = loop.makePromise(of: RedisReply.self)
        return (RedisChannelRequest(bytes: ByteBuffer(string: text), replies: [promise]), promise.futureResult)
    }

    @Test func commandsFlushedInOneTurnLeaveTogether() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: RedisChannelHandler(), loop: loop)
        let (first, firstReply) = Self.request("*1\r\n$4\r\nPING\r\n", on: loop)
        let (second, secondReply) = Self.request("*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n", on: loop)
        channel.writeAndFlush(first, promise: nil)
        channel.writeAndFlush(second, promise: nil)
        // Nothing has left yet: the flush waits behind the loop's queued work.
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        loop.run()
        // Both writes went out with the one flush, in order.
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "*1\r\n$4\r\nPING\r\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        try channel.writeInbound(ByteBuffer(string: "+PONG\r\n$1\r\nx\r\n"))
        #expect(try firstReply.wait() == .status("PONG"))
        #expect(try secondReply.wait() == .bulkString(Array("x".utf8)))
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func aQueuedFlushAfterTheHandlerIsGoneDoesNothing() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: RedisChannelHandler(), loop: loop)
        let (request, reply) = Self.request("*1\r\n$4\r\nPING\r\n", on: loop)
        channel.writeAndFlush(request, promise: nil)
        // Closing fails the pending command before the queued flush runs.
        _ = try? channel.finish(acceptAlreadyClosed: true)
        loop.run()
        #expect(throws: RedisError.self) { try reply.wait() }
    }
}
