import NIOCore

/// One multiplexed Redis connection on an event loop: requests are written as they come, their
/// promises queue in order, and each reply completes the oldest promise, since Redis answers a
/// connection's commands in the order it received them. Concurrent callers thus share one
/// socket and, in effect, pipeline with each other.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisChannelRequest
    typealias OutboundOut = ByteBuffer

    private let reader = HiredisReader()
    private var pending = CircularBuffer<EventLoopPromise<RedisReply>>()
    private var failure: RedisError?
    private var context: ChannelHandlerContext?
    /// A flush is queued behind the loop's other work; see `flush(context:)`.
    private var flushQueued = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// From a scheduled task on the channel's loop (a command timeout).
    func abort(with error: RedisError) {
        guard let context else { return }
        fail(context: context, with: error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            // Nothing is written after a failure; the write promise tells the client it may retry.
            promise?.fail(failure)
            for reply in request.replies { reply.fail(failure) }
            return
        }
        pending.append(contentsOf: request.replies)
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    /// Flushes once the loop has run the jobs already queued on it, not at once: under load a
    /// turn of the loop resumes many requests, each of which writes a command, and they then
    /// leave in one `writev` (and reach Redis in one read) instead of a system call each.
    /// The queued flush runs in the same turn, before the loop waits for I/O again.
    func flush(context: ChannelHandlerContext) {
        guard !flushQueued else { return }
        flushQueued = true
        context.eventLoop.assumeIsolated().execute {
            self.flushQueued = false
            self.context?.flush()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { try reader.feed($0) }
            while let reply = try reader.next() {
                guard let promise = pending.popFirst() else {
                    throw RedisError.unexpectedReply("a reply no command asked for: \(reply)")
                }
                promise.succeed(reply)
            }
        } catch {
            fail(context: context, with: error as? RedisError ?? .connectionLost("\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(with: failure ?? .connectionLost("Redis closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, with: .connectionLost("\(error)"))
    }

    /// Fails every pending command with `error` and closes: after a timeout or a parse error the
    /// order of replies can no longer be trusted.
    func fail(context: ChannelHandlerContext, with error: RedisError) {
        if failure == nil { failure = error }
        failAll(with: error)
        context.close(promise: nil)
    }

    private func failAll(with error: RedisError) {
        while let promise = pending.popFirst() { promise.fail(error) }
    }
}

/// What the client writes: the encoded commands and one promise per command, in order.
struct RedisChannelRequest: Sendable {
    var bytes: ByteBuffer
    var replies: [EventLoopPromise<RedisReply>]
}
