import Foundation
import Synchronization

/// One connection to Redis (a hiredis context).
///
/// Every hiredis call runs on the connection's own thread (`RedisThread`), so
/// callers only ever suspend, never block. A connection is used by one task
/// at a time: the pool hands it out exclusively; calls from two tasks at once
/// would still run one after the other, but their commands would interleave
/// inside each other's `MULTI`.
///
/// A connection lost during a command stays lost (`RedisError.connectionLost`
/// for every later command) until the pool checks it out again and
/// reconnects: reconnecting silently between a `MULTI` and its `EXEC` would
/// run the rest outside the transaction.
///
/// `@unchecked Sendable`: the mutable state below is touched only by jobs on
/// `thread` (which runs them one at a time) and by `deinit` (when no job can
/// be pending, since each job holds a strong reference).
public final class RedisConnection: @unchecked Sendable {
    public let configuration: RedisConfiguration
    private let thread: RedisThread
    private let closed = Mutex(false)

    // Confined to `thread`.
    private var context: HiredisContext?
    /// Set on check-in: the next use first checks the socket and reconnects
    /// when the server closed it.
    private var verifyOnNextUse = false
    /// What a borrower changed that the next one must not inherit.
    private var session = SessionState()

    private init(configuration: RedisConfiguration) {
        self.configuration = configuration
        thread = RedisThread(name: "redis-\(configuration.host):\(configuration.port)")
    }

    deinit {
        thread.stop()
    }

    /// Opens a connection (authenticated, on the configured database); throws
    /// `RedisError.connectFailed` with the reason (never the password).
    public static func connect(_ configuration: RedisConfiguration) async throws -> RedisConnection {
        let connection = RedisConnection(configuration: configuration)
        try await connection.thread.run { connection.context = try HiredisContext.connect(configuration) }
        return connection
    }

    public static func connect(url: String) async throws -> RedisConnection {
        try await connect(RedisConfiguration(url: url))
    }

    /// Runs one command, e.g. `send(["SET", key, value, "EX", 60])`. An error
    /// reply throws `RedisError.server`.
    @discardableResult
    public func send(_ arguments: [any RedisArgument]) async throws -> RedisReply {
        let command = try Self.encode(arguments)
        let reply = try await thread.run { try self.runCommand(command) }
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Runs several commands in one round trip: all are written, then all
    /// replies read. An error reply fails only its own command (a `.failure`
    /// with `RedisError.server` at its index); the others still run, as Redis
    /// runs them independently. Not a transaction: wrap the commands in
    /// `MULTI`/`EXEC` for that. A lost connection or a timeout throws for the
    /// whole pipeline, since which commands ran is then unknown.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws -> [Result<RedisReply, RedisError>] {
        guard !commands.isEmpty else { return [] }
        let encoded = try commands.map(Self.encode)
        let replies = try await thread.run { try self.runPipeline(encoded) }
        return replies.map { reply in
            if case .error(let message) = reply { return .failure(.server(message)) }
            return .success(reply)
        }
    }

    /// Checks that the server answers.
    public func ping() async throws {
        let reply = try await send(["PING"])
        guard reply == .status("PONG") else { throw RedisError.unexpectedReply("PING answered \(reply)") }
    }

    /// Publishes `message` on `channel`; returns how many subscribers got it.
    @discardableResult
    public func publish(_ channel: String, _ message: any RedisArgument) async throws -> Int {
        let reply = try await send(["PUBLISH", channel, message])
        guard let receivers = reply.int else { throw RedisError.unexpectedReply("PUBLISH answered \(reply)") }
        return receivers
    }

    /// Runs a Lua script by its SHA1 (`EVALSHA`), sending the source (`EVAL`,
    /// which also caches it) only when the server does not know it yet: first
    /// use, or after a restart or `SCRIPT FLUSH`.
    @discardableResult
    public func evaluate(
        _ script: RedisScript, keys: [String] = [], arguments: [any RedisArgument] = []
    ) async throws -> RedisReply {
        let tail: [any RedisArgument] = [keys.count] + keys + arguments
        do {
            return try await send(["EVALSHA", script.sha1] + tail)
        } catch let error as RedisError where error.serverCode == "NOSCRIPT" {
            return try await send(["EVAL", script.source] + tail)
        }
    }

    /// Closes the connection. Later calls throw `.connectionClosed`; a pool
    /// that gets a closed connection back drops it and opens a new one when
    /// needed.
    public func close() async {
        closed.withLock { $0 = true }
        try? await thread.run { self.context = nil }
        thread.stop()
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { closed.withLock { $0 } }

    /// Closes without waiting (used when a closed pool gets a connection back).
    func closeSoon() {
        closed.withLock { $0 = true }
        thread.submit { self.context = nil }
        thread.stop()
    }

    /// Makes a returned connection clean for its next user: discards a
    /// `MULTI` left open, drops `WATCH`es, returns to the configured
    /// database, and arranges a liveness check before the next command.
    /// Queued on the connection's thread, so it runs before anything the next
    /// user sends.
    func prepareForReuse() {
        thread.submit {
            self.verifyOnNextUse = true
            guard self.session.isDirty else { return }
            defer { self.session = SessionState() }
            guard let context = self.context, !context.isBroken, !self.session.mustReconnect else {
                self.context = nil
                return
            }
            var cleanUp: [[String]] = []
            if self.session.inTransaction { cleanUp.append(["DISCARD"]) }
            if self.session.watching { cleanUp.append(["UNWATCH"]) }
            if self.session.changedDatabase { cleanUp.append(["SELECT", String(self.configuration.database)]) }
            do {
                for command in cleanUp { try context.append(command.map { Array($0.utf8) }) }
                // Error replies (a `DISCARD` without `MULTI`) are harmless here.
                for _ in cleanUp { _ = try context.readReply() }
            } catch {
                // The next checkout reconnects.
                self.context = nil
            }
        }
    }

    // MARK: - On the connection's thread

    private func runCommand(_ command: [[UInt8]]) throws -> RedisReply {
        let context = try usableContext()
        session.note(command)
        return try context.command(command)
    }

    private func runPipeline(_ commands: [[[UInt8]]]) throws -> [RedisReply] {
        let context = try usableContext()
        for command in commands {
            session.note(command)
            try context.append(command)
        }
        return try commands.map { _ in try context.readReply() }
    }

    /// The context, checked after a check-in and re-opened if the server
    /// closed it (restart, `CLIENT KILL`, idle timeout) or a command broke it.
    private func usableContext() throws -> HiredisContext {
        if verifyOnNextUse {
            if let context, !context.isBroken, !context.hasUnexpectedInput {
                verifyOnNextUse = false
                return context
            }
            context = nil
            session = SessionState()
            // On failure the flag stays set, so the next use tries again.
            let fresh = try HiredisContext.connect(configuration)
            context = fresh
            verifyOnNextUse = false
            return fresh
        }
        guard let context, !context.isBroken else {
            throw RedisError.connectionLost("an earlier command on this checkout broke the connection")
        }
        return context
    }

    private static func encode(_ arguments: [any RedisArgument]) throws -> [[UInt8]] {
        guard let first = arguments.first else { throw RedisError.unsupported("a command needs a name") }
        let name = String(decoding: first.redisBytes, as: UTF8.self).uppercased()
        if Self.dedicatedConnectionCommands.contains(name) {
            throw RedisError.unsupported("\(name) takes over the connection; use RedisSubscriber for pub/sub")
        }
        return arguments.map(\.redisBytes)
    }

    /// Commands after which the connection only streams pushes.
    private static let dedicatedConnectionCommands: Set<String> = [
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC", "PSYNC",
    ]
}

/// Connection state a command can change and that must not leak to the pool's
/// next borrower.
private struct SessionState {
    var inTransaction = false
    var watching = false
    var changedDatabase = false
    /// The session was reset or its protocol changed (`RESET` also logs out,
    /// `HELLO` can switch to RESP3, which hiredis 0.14 cannot read).
    var mustReconnect = false

    var isDirty: Bool { inTransaction || watching || changedDatabase || mustReconnect }

    /// Updated before the command runs, from its name alone: a `MULTI` that
    /// fails still gets a harmless `DISCARD` at check-in.
    mutating func note(_ command: [[UInt8]]) {
        guard let first = command.first, first.count <= 7 else { return }
        switch String(decoding: first, as: UTF8.self).uppercased() {
        case "MULTI": inTransaction = true
        case "EXEC", "DISCARD":
            inTransaction = false
            watching = false
        case "WATCH": watching = true
        case "UNWATCH": watching = false
        case "SELECT": changedDatabase = true
        case "RESET", "HELLO", "QUIT": mustReconnect = true
        default: break
        }
    }
}
