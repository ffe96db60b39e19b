import NIOCore

/// One multiplexed Redis connection on an event loop: requests are written as they come, their
/// promises queue in order, and each reply completes the oldest promise, since Redis answers a
/// connection's commands in the order it received them. Concurrent callers thus share one
/// socket and, in effect, pipeline with each other.
///
/// Each request carries the deadline of its replies, and the connection keeps one timer rather
/// than one per command: scheduling and cancelling a task on the loop for every command was
/// about 1 µs of each request's time on `users/me` (perf).
/// The timer is set for the earliest deadline among the unanswered commands (a command with a
/// short timeout may follow one with a long one, as after the handshake); when it fires and
/// nothing is overdue, it is set again for the earliest deadline left.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisChannelRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var reply: EventLoopPromise<RedisReply>
        var deadline: NIODeadline?
    }

    private let reader = HiredisReader()
    private var pending = CircularBuffer<Pending>()
    private var failure: RedisError?
    /// A flush is queued behind the loop's other work; see `flush(context:)`.
    private var flushQueued = false
    /// The timer for the earliest unanswered deadline, and that deadline, when one is set.
    private var timer: Scheduled<Void>?
    private var timerDeadline = NIODeadline.distantFuture
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            // Nothing is written after a failure; the write promise tells the client it may retry.
            promise?.fail(failure)
            for reply in request.replies { reply.fail(failure) }
            return
        }
        for reply in request.replies { pending.append(Pending(reply: reply, deadline: request.deadline)) }
        // `timerDeadline` is the distant future when no timer is set.
        if let deadline = request.deadline, deadline < timerDeadline {
            cancelTimer()
            setTimer(for: deadline, on: context.eventLoop)
        }
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    private func setTimer(for deadline: NIODeadline, on loop: any EventLoop) {
        timerDeadline = deadline
        timer = loop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timer = nil
            self.timerDeadline = .distantFuture
            self.checkDeadline(on: loop)
        }
    }

    /// The timer fired: fails the connection when an unanswered command is overdue, otherwise
    /// waits for the earliest deadline left. The scan runs once per timeout period at most.
    private func checkDeadline(on loop: any EventLoop) {
        guard let context, failure == nil, let deadline = pending.lazy.compactMap(\.deadline).min() else { return }
        if deadline <= .now() {
            fail(context: context, with: .timeout)
        } else {
            setTimer(for: deadline, on: loop)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = .distantFuture
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
                guard let command = pending.popFirst() else {
                    throw RedisError.unexpectedReply("a reply no command asked for: \(reply)")
                }
                command.reply.succeed(reply)
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
        cancelTimer()
        while let command = pending.popFirst() { command.reply.fail(error) }
    }
}

/// What the client writes: the encoded commands, one promise per command, in order, and when
/// their replies are due (nil: no timeout).
struct RedisChannelRequest: Sendable {
    var bytes: ByteBuffer
    var replies: [EventLoopPromise<RedisReply>]
    var deadline: NIODeadline?
}
