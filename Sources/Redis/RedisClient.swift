import NIOCore
import NIOPosix
import Synchronization

/// The Redis client: a few multiplexed connections on NIO's event loops, shared by every caller
/// at once.
///
/// Commands go out on a non-blocking socket as they come and replies are parsed by hiredis's
/// reader on the event loop, so concurrent requests share round trips (implicit pipelining), no
/// connection is leased per command and nothing blocks a thread. Commands that change a
/// connection's state for everyone after them (`MULTI`, `WATCH`, `SELECT`), block it (`BLPOP`), or
/// turn it into a push stream (`SUBSCRIBE`) are refused with `.unsupported`: atomic steps are Lua
/// scripts (`evaluate`), and `RedisSubscriber` receives publications.
///
/// A connection that breaks fails its pending commands with `.connectionLost` (or `.timeout`
/// when a reply is later than `commandTimeout`) and is reopened by the next command.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let slots: [Slot]
    /// The slots each event loop holds, by the loop's identity.
    private let slotsByLoop: [ObjectIdentifier: [Slot]]
    private let turn = Atomic<Int>(0)
    /// Callers waiting for a connection to open, for `statistics`.
    private let waiting = Atomic<Int>(0)

    public init(
        configuration: RedisConfiguration, connections: Int = 2,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        precondition(connections > 0, "a client needs at least one connection")
        self.configuration = configuration
        // The connections spread over the group's loops, so that a caller on any loop has one
        // of its own (see `nextSlot`).
        let loops = Array(eventLoopGroup.makeIterator())
        let slots = (0..<connections).map { Slot(eventLoop: loops[$0 % loops.count]) }
        self.slots = slots
        self.slotsByLoop = Dictionary(grouping: slots) { ObjectIdentifier($0.eventLoop) }
    }

    public convenience init(url: String, connections: Int = 2) throws {
        self.init(configuration: try RedisConfiguration(url: url), connections: connections)
    }

    /// Sends one command; a server error reply throws `.server`.
    @discardableResult
    public func send(_ arguments: [any RedisArgument]) async throws -> RedisReply {
        let reply = try await execute([try Self.encode(arguments)])[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Several commands in one write; each result in order, a server error as `.failure(.server)`.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws -> [Result<RedisReply, RedisError>] {
        guard !commands.isEmpty else { return [] }
        return try await execute(try commands.map(Self.encode)).map { reply in
            if case .error(let message) = reply { return .failure(.server(message)) }
            return .success(reply)
        }
    }

    /// `EVALSHA`, and `EVAL` when the server does not know the script yet.
    @discardableResult
    public func evaluate(_ script: RedisScript, keys: [String] = [], arguments: [any RedisArgument] = []) async throws -> RedisReply {
        let tail: [any RedisArgument] = [keys.count] + keys + arguments
        do {
            return try await send(["EVALSHA", script.sha1] + tail)
        } catch let error as RedisError where error.serverCode == "NOSCRIPT" {
            return try await send(["EVAL", script.source] + tail)
        }
    }

    /// Publishes `message`; the number of subscribers that got it.
    @discardableResult
    public func publish(_ channel: String, _ message: any RedisArgument) async throws -> Int {
        let reply = try await send(["PUBLISH", channel, message])
        guard let count = reply.int else { throw RedisError.unexpectedReply("PUBLISH answered \(reply)") }
        return count
    }

    public func ping() async throws {
        _ = try await send(["PING"])
    }

    /// Closes the connections; pending and later commands fail with `.poolClosed`.
    public func close() async {
        var channels: [any Channel] = []
        for slot in slots {
            slot.state.withLock { state in
                if case .connected(let connection) = state { channels.append(connection.channel) }
                state = .closed
            }
        }
        for channel in channels { try? await channel.close() }
    }

    /// What `/metrics` shows of the client, in a pool's terms: connections open, those with
    /// requests awaiting replies (a multiplexed connection serves many at once), and callers
    /// waiting for a connection to open.
    public struct Statistics: Sendable, Hashable {
        public var open: Int
        public var busy: Int
        public var waiting: Int
    }

    public var statistics: Statistics {
        var statistics = Statistics(open: 0, busy: 0, waiting: waiting.load(ordering: .relaxed))
        for slot in slots {
            let open = slot.state.withLock { state in
                if case .connected(let connection) = state { return connection.channel.isActive }
                return false
            }
            guard open else { continue }
            statistics.open += 1
            if slot.pending.load(ordering: .relaxed) > 0 { statistics.busy += 1 }
        }
        return statistics
    }

    // MARK: - Connections

    private final class Slot: Sendable {
        /// The loop the slot's connection lives on.
        let eventLoop: any EventLoop
        let state = Mutex(State.idle)
        /// Requests sent on this slot and not answered yet, for `statistics`.
        let pending = Atomic<Int>(0)

        enum State {
            case idle
            case connecting(EventLoopFuture<Connection>)
            case connected(Connection)
            case closed
        }

        init(eventLoop: any EventLoop) {
            self.eventLoop = eventLoop
        }
    }

    private struct Connection: Sendable {
        let channel: any Channel
    }

    private func execute(_ commands: [[[UInt8]]]) async throws -> [RedisReply] {
        do {
            return try await execute(commands, slot: nextSlot(), replacingClosed: false)
        } catch is NotSent {
            // The connection closed before the request went out (a timeout or the server closed
            // it): nothing reached Redis, so one retry on a new connection is safe.
            do {
                return try await execute(commands, slot: nextSlot(), replacingClosed: true)
            } catch let error as NotSent {
                throw RedisError.connectionLost("the command could not be sent: \(error.reason)")
            }
        }
    }

    private func execute(_ commands: [[[UInt8]]], slot: Slot, replacingClosed: Bool) async throws -> [RedisReply] {
        slot.pending.add(1, ordering: .relaxed)
        defer { slot.pending.subtract(1, ordering: .relaxed) }
        return try await execute(commands, on: try await connection(slot, replacingClosed: replacingClosed))
    }

    /// A caller running on one of the connections' event loops (in the server, where NIO runs
    /// Swift Concurrency's jobs, a request's task on its HTTP connection's loop) takes a
    /// connection of that loop: the command is written and
    /// its reply read on the caller's own thread, with no hand-off to another loop and back.
    /// Anyone else takes the connections in turn.
    private func nextSlot() -> Slot {
        let turn = turn.wrappingAdd(1, ordering: .relaxed).oldValue
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, let local = slotsByLoop[ObjectIdentifier(loop)] {
            return local[turn % local.count]
        }
        return slots[turn % slots.count]
    }

    private func execute(_ commands: [[[UInt8]]], on connection: Connection) async throws -> [RedisReply] {
        let channel = connection.channel
        let loop = channel.eventLoop
        var buffer = channel.allocator.buffer(capacity: 64)
        for command in commands { RESPEncoding.write(command, into: &buffer) }
        let promises = commands.map { _ in loop.makePromise(of: RedisReply.self) }
        // The connection's handler keeps the timer (one per connection, not one per command).
        let deadline = configuration.commandTimeout.map { NIODeadline.now() + .nanoseconds(Int64($0.nanoseconds)) }
        Self.write(buffer, promises, deadline: deadline, on: connection)
        var replies: [RedisReply] = []
        replies.reserveCapacity(promises.count)
        for promise in promises { replies.append(try await promise.futureResult.get()) }
        return replies
    }

    /// The slot's open connection, opening it (once, however many callers ask) when needed.
    /// `replacingClosed` drops a connection whose channel is closing even if it still reports
    /// itself active.
    private func connection(_ slot: Slot, replacingClosed: Bool) async throws -> Connection {
        enum Step {
            case use(Connection)
            case wait(EventLoopFuture<Connection>)
            case open(EventLoopPromise<Connection>)
        }
        let step = try slot.state.withLock { state -> Step in
            switch state {
            case .closed: throw RedisError.poolClosed
            case .connected(let connection) where connection.channel.isActive && !replacingClosed: return .use(connection)
            case .connecting(let future): return .wait(future)
            case .idle, .connected:
                let promise = slot.eventLoop.makePromise(of: Connection.self)
                state = .connecting(promise.futureResult)
                return .open(promise)
            }
        }
        if case .use(let connection) = step { return connection }
        waiting.add(1, ordering: .relaxed)
        defer { waiting.subtract(1, ordering: .relaxed) }
        switch step {
        case .use(let connection):
            return connection
        case .wait(let future):
            return try await future.get()
        case .open(let promise):
            do {
                let connection = try await open(on: slot.eventLoop)
                let kept = slot.state.withLock { state -> Bool in
                    guard case .connecting = state else { return false }
                    state = .connected(connection)
                    return true
                }
                guard kept else {
                    try? await connection.channel.close()
                    promise.fail(RedisError.poolClosed)
                    throw RedisError.poolClosed
                }
                promise.succeed(connection)
                return connection
            } catch {
                slot.state.withLock { state in
                    if case .connecting = state { state = .idle }
                }
                promise.fail(error)
                throw error
            }
        }
    }

    private func open(on eventLoop: any EventLoop) async throws -> Connection {
        let address = configuration.address
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.nanoseconds)))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RedisChannelHandler())
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisError.connectFailed("\(address): \(error)")
        }
        let connection = Connection(channel: channel)
        var handshake: [(step: String, command: [String])] = []
        if let password = configuration.password {
            handshake.append(("AUTH", ["AUTH"] + (configuration.user.map { [$0] } ?? []) + [password]))
        }
        if configuration.database != 0 { handshake.append(("SELECT", ["SELECT", String(configuration.database)])) }
        if let name = configuration.clientName { handshake.append(("CLIENT SETNAME", ["CLIENT", "SETNAME", name])) }
        if handshake.isEmpty { handshake.append(("PING", ["PING"])) }
        do {
            let replies = try await execute(on: connection, handshake.map { $0.command.map { Array($0.utf8) } })
            for (step, reply) in zip(handshake, replies) {
                if case .error(let message) = reply { throw RedisError.connectFailed("\(address): \(step.step) failed: \(message)") }
            }
        } catch {
            try? await channel.close()
            if let error = error as? RedisError, case .connectFailed = error { throw error }
            throw RedisError.connectFailed("\(address): \(error)")
        }
        return connection
    }

    /// The handshake's round trip, on a connection not yet shared.
    private func execute(on connection: Connection, _ commands: [[[UInt8]]]) async throws -> [RedisReply] {
        let channel = connection.channel
        var buffer = channel.allocator.buffer(capacity: 64)
        for command in commands { RESPEncoding.write(command, into: &buffer) }
        let promises = commands.map { _ in channel.eventLoop.makePromise(of: RedisReply.self) }
        // The handshake counts as connecting: its replies are due within the connect timeout.
        let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.connectTimeout.nanoseconds))
        Self.write(buffer, promises, deadline: deadline, on: connection)
        var replies: [RedisReply] = []
        for promise in promises { replies.append(try await promise.futureResult.get()) }
        return replies
    }

    /// Writes a request; when the write itself fails (the channel closed in between, so the
    /// handler never sees it), its replies fail too instead of waiting forever. Completing a
    /// promise the handler already completed is a no-op in NIO.
    private static func write(
        _ buffer: ByteBuffer, _ promises: [EventLoopPromise<RedisReply>], deadline: NIODeadline?, on connection: Connection
    ) {
        let written = connection.channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            for promise in promises { promise.fail(NotSent(reason: "\(error)")) }
        }
        connection.channel.writeAndFlush(RedisChannelRequest(bytes: buffer, replies: promises, deadline: deadline), promise: written)
    }

    private static func encode(_ arguments: [any RedisArgument]) throws -> [[UInt8]] {
        guard let first = arguments.first else { throw RedisError.unsupported("a command needs a name") }
        let name = String(decoding: first.redisBytes, as: UTF8.self).uppercased()
        if refused.contains(name) {
            throw RedisError.unsupported(
                "\(name) would hold or change the shared connection; run it in a script (evaluate), or use RedisSubscriber "
                    + "for a subscription")
        }
        return arguments.map(\.redisBytes)
    }

    private static let refused: Set<String> = [
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC", "PSYNC", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH",
        "SELECT", "QUIT", "RESET", "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT",
    ]
}

/// A request that never left the client, so it can be retried without running twice.
private struct NotSent: Error {
    var reason: String
}

extension Duration {
    var nanoseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
