import CHiredis
import Foundation

/// One blocking hiredis context: a TCP connection to Redis, authenticated and
/// on the configured database.
///
/// Not thread-safe, as hiredis contexts are not: each instance is created,
/// used and freed on one thread (a `RedisSubscriber`'s loop). Error replies are returned as `.error` values;
/// only transport failures throw.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>

    private init(_ context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Connects, then authenticates, selects the database and names the
    /// client, pipelined in one round trip. A server that needs nothing of
    /// that still gets a `PING`, so a missing password or a port that does
    /// not speak Redis fails here rather than on the first command.
    static func connect(_ configuration: RedisConfiguration) throws -> HiredisContext {
        let address = configuration.address
        guard
            let raw = redisConnectWithTimeout(
                configuration.host, Int32(clamping: configuration.port), configuration.connectTimeout.socketTimeout)
        else {
            throw RedisError.connectFailed("\(address): hiredis could not allocate a context")
        }
        // From here on, `deinit` frees the context whichever way this returns.
        let context = HiredisContext(raw)
        guard raw.pointee.err == 0 else { throw RedisError.connectFailed("\(address): \(context.errorString)") }
        // The handshake counts as connecting; commands get their own timeout below.
        guard redisSetTimeout(raw, configuration.connectTimeout.socketTimeout) == REDIS_OK else {
            throw RedisError.connectFailed("\(address): \(context.errorString)")
        }
        // Notices a peer that vanished without closing (a dead host, a
        // dropped NAT entry) on connections that sit idle or only listen.
        _ = redisEnableKeepAlive(raw)

        var handshake: [(step: String, arguments: [String])] = []
        if let password = configuration.password {
            handshake.append(("AUTH", ["AUTH"] + (configuration.user.map { [$0] } ?? []) + [password]))
        }
        if configuration.database != 0 {
            handshake.append(("SELECT \(configuration.database)", ["SELECT", String(configuration.database)]))
        }
        if let name = configuration.clientName {
            handshake.append(("CLIENT SETNAME", ["CLIENT", "SETNAME", name]))
        }
        if handshake.isEmpty { handshake.append(("PING", ["PING"])) }
        do {
            for command in handshake { try context.append(command.arguments.map { Array($0.utf8) }) }
            for command in handshake {
                if case .error(let message) = try context.readReply() {
                    throw RedisError.connectFailed("\(address): \(command.step) failed: \(message)")
                }
            }
        } catch RedisError.timeout {
            throw RedisError.connectFailed("\(address): no answer within the connect timeout")
        } catch RedisError.connectionLost(let message) {
            throw RedisError.connectFailed("\(address): \(message)")
        }
        // A zero timeout is no timeout.
        let commandTimeout = configuration.commandTimeout?.socketTimeout ?? timeval(tv_sec: 0, tv_usec: 0)
        guard redisSetTimeout(raw, commandTimeout) == REDIS_OK else {
            throw RedisError.connectFailed("\(address): \(context.errorString)")
        }
        return context
    }

    /// Whether a transport error happened; hiredis refuses every later call,
    /// so the context can only be freed.
    var isBroken: Bool { context.pointee.err != 0 }

    var fileDescriptor: Int32 { context.pointee.fd }

    /// Whether the socket has something to read while no reply is due: the
    /// server closed it (restart, `CLIENT KILL`, idle timeout) or sent
    /// something no command asked for. Either way it cannot be trusted.
    var hasUnexpectedInput: Bool {
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    /// Sends one command and waits for its reply (`redisCommandArgv`).
    func command(_ arguments: [[UInt8]]) throws -> RedisReply {
        let raw = Self.withArgv(arguments) { count, argv, lengths in
            redisCommandArgv(context, count, argv, lengths)
        }
        guard let raw else { throw failure() }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Queues a command in the output buffer; `readReply` flushes it.
    func append(_ arguments: [[UInt8]]) throws {
        let status = Self.withArgv(arguments) { count, argv, lengths in
            redisAppendCommandArgv(context, count, argv, lengths)
        }
        guard status == REDIS_OK else { throw failure() }
    }

    /// Flushes the output buffer, then blocks for the next reply (up to the
    /// command timeout).
    func readReply() throws -> RedisReply {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw failure() }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Writes the whole output buffer without reading anything.
    func flush() throws {
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else { throw failure() }
        }
    }

    /// Reads once from the socket into hiredis's buffer. Call it only when
    /// `poll` says the socket is readable, or it blocks.
    func receive() throws {
        guard redisBufferRead(context) == REDIS_OK else { throw failure() }
    }

    /// The next reply already received, without touching the socket.
    func bufferedReply() throws -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else { throw failure() }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private var errorString: String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let text = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            return text.isEmpty ? "unknown error" : text
        }
    }

    /// The typed error for a failed call. A blocking read that hit
    /// `SO_RCVTIMEO` fails with EAGAIN; hiredis keeps only the message, so
    /// that is compared too in case `errno` changed since.
    private func failure() -> RedisError {
        let code = errno
        let message = errorString
        if context.pointee.err == REDIS_ERR_IO
            && (code == EAGAIN || code == EWOULDBLOCK || message == String(cString: strerror(EAGAIN)))
        {
            return .timeout
        }
        return .connectionLost(message)
    }

    /// Passes hiredis the arguments as pointers and explicit lengths, which
    /// keeps them binary-safe. One buffer holds them all, plus a spare byte so
    /// that an empty argument still has an address.
    private static func withArgv<Result>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
    ) -> Result {
        precondition(!arguments.isEmpty, "a Redis command has at least one argument")
        var buffer: [UInt8] = []
        buffer.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(buffer.count)
            buffer.append(contentsOf: argument)
        }
        buffer.append(0)
        let lengths = arguments.map(\.count)
        return buffer.withUnsafeBytes { base in
            var pointers: [UnsafePointer<CChar>?] = offsets.map {
                (base.baseAddress! + $0).assumingMemoryBound(to: CChar.self)
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengths in
                    body(Int32(arguments.count), argv.baseAddress!, lengths.baseAddress!)
                }
            }
        }
    }

    static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let reply = reply.pointee
        func bytes() -> [UInt8] {
            guard let text = reply.str, reply.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: text, count: reply.len))
        }
        switch reply.type {
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int(reply.integer))
        case REDIS_REPLY_STRING: return .bulkString(bytes())
        case REDIS_REPLY_ARRAY:
            guard reply.elements > 0, let elements = reply.element else { return .array([]) }
            return .array((0..<reply.elements).map { index in elements[index].map(convert) ?? .null })
        default: return .null
        }
    }
}
