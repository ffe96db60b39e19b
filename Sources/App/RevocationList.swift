import Foundation
import Logging
import Redis
import Synchronization

/// The revoked sessions and access tokens, held in this process so that checking a token costs
/// no Redis round trip.
///
/// Redis stays the record: a revocation is a key (`revoked-session:`, `revoked-token:`) that
/// lives as long as the tokens it refuses, and whoever writes one publishes it on the
/// token-revocations channel in the same command sequence. Every instance keeps the published
/// ones here, fed by the notification hub's subscriber. Another instance learns of a logout when
/// Redis delivers the message (under a millisecond on one network); the instance that revoked
/// knows at once.
///
/// Messages published while an instance's subscriber is cut off are lost, so the list answers
/// only while it is complete: after the subscriber's current connection has confirmed the
/// subscription, the keys already in Redis were loaded (`SCAN`). Until then, and whenever the
/// subscriber has no connection or a revocation found the list full, `isRevoked` answers nil and
/// the caller asks Redis, as every request did before (in three alternated runs, with the cache
/// off, that round trip was 13% of the server's CPU time on `GET /api/v1/users/me`: 111 against
/// 97 µs a request). A subscriber connection that dies without a reset (a network partition) is
/// noticed by TCP keepalive, which hiredis sets to 15 s; until then a revocation made elsewhere
/// can be missed here, as the Redis check itself is skipped while Redis cannot be reached.
public final class RevocationList: Sendable {
    let keys: RedisKeys
    let pool: RedisClient
    /// How long a revocation whose expiry is not known is kept: the access tokens' lifetime.
    let lifetime: Duration
    /// At most this many revocations are held. One more, unless dropping the expired ones makes
    /// room for a sixteenth of the capacity, stops the list answering (the Redis check takes
    /// over) until a load, `overflowRetry` later, finds that expired ones made room. 0: never
    /// answers.
    let capacity: Int
    /// How long after refusing a revocation for want of room the next load is tried.
    let overflowRetry: Duration
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var sessions: [String: ContinuousClock.Instant] = [:]
        var tokens: [String: ContinuousClock.Instant] = [:]
        /// The subscriber whose messages feed the list, and which of its connections the list
        /// is complete for (nil: not yet, or not any more).
        var subscriber: RedisSubscriber?
        var completeFor: Int?
        var loading = false
        /// After a failed load, the next waits until then, so an outage does not start one per request.
        var nextLoad = ContinuousClock.Instant.now
        /// The size after the last sweep of expired entries; the next runs when it doubles.
        var sweptCount = 0
        /// A revocation was refused for want of room since the last load began.
        var overflowed = false
        /// How many sweeps ran (for the tests that bound them).
        var sweeps = 0
        var count: Int { sessions.count + tokens.count }
    }

    public init(
        keys: RedisKeys, pool: RedisClient, lifetime: Duration, capacity: Int, overflowRetry: Duration = .seconds(60),
        logger: Logger
    ) {
        self.keys = keys
        self.pool = pool
        self.lifetime = lifetime
        self.capacity = capacity
        self.overflowRetry = overflowRetry
        self.logger = logger
    }

    /// Whether a token of `sessionID` with id `tokenID` was revoked; nil when the list cannot
    /// tell (see the type's comment), and then a load is started if none runs.
    func isRevoked(sessionID: String?, tokenID: String?) -> Bool? {
        guard capacity > 0 else { return nil }
        let (answer, load) = state.withLock { state -> (Bool?, RedisSubscriber?) in
            guard let subscriber = state.subscriber else { return (nil, nil) }
            let connection = subscriber.connectionNumber
            guard connection != nil, connection == state.completeFor else {
                return (nil, Self.claimLoad(&state))
            }
            if let sessionID, state.sessions[sessionID] != nil { return (true, nil) }
            if let tokenID, state.tokens[tokenID] != nil { return (true, nil) }
            return (false, nil)
        }
        if let load { Task { await self.load(from: load) } }
        return answer
    }

    /// The subscriber to load from when no load runs and none failed just now.
    private static func claimLoad(_ state: inout State) -> RedisSubscriber? {
        guard let subscriber = state.subscriber, !state.loading, ContinuousClock.now >= state.nextLoad else { return nil }
        state.loading = true
        return subscriber
    }

    /// The subscriber whose messages now feed the list (nil when it closed); the list is not
    /// complete again until a load over its connection finishes.
    func follow(_ subscriber: RedisSubscriber?) {
        let load = state.withLock { state -> RedisSubscriber? in
            state.subscriber = subscriber
            state.completeFor = nil
            state.nextLoad = .now
            return Self.claimLoad(&state)
        }
        if let load { Task { await self.load(from: load) } }
    }

    /// A message of the token-revocations channel: `<milliseconds left> <key>`.
    func receive(_ payload: [UInt8]) {
        guard let text = String(bytes: payload, encoding: .utf8), let space = text.firstIndex(of: " "),
            let milliseconds = Int(text[..<space]), milliseconds > 0
        else {
            logger.warning("token revocations: undecodable message dropped", metadata: ["bytes": "\(payload.count)"])
            return
        }
        add(key: String(text[text.index(after: space)...]), expiresIn: .milliseconds(milliseconds))
    }

    /// A revocation this instance made: known here before Redis delivers it back.
    func add(sessionID: String?, tokenID: String?, expiresIn: Duration) {
        let expiry = ContinuousClock.now + expiresIn
        let overflowed = state.withLock { state -> Bool in
            let wasOverflowed = state.overflowed
            if let sessionID { insert(sessionID, expiry, into: \.sessions, &state) }
            if let tokenID { insert(tokenID, expiry, into: \.tokens, &state) }
            return state.overflowed && !wasOverflowed
        }
        if overflowed {
            logger.warning(
                "token revocations: more than the list holds, checking each token in Redis",
                metadata: ["capacity": "\(capacity)"])
        }
    }

    private func insert(
        _ id: String, _ expiry: ContinuousClock.Instant, into table: WritableKeyPath<State, [String: ContinuousClock.Instant]>,
        _ state: inout State
    ) {
        if let known = state[keyPath: table][id] {
            state[keyPath: table][id] = max(known, expiry)
            return
        }
        // Already incomplete: the next load reads Redis again, so holding this one would not
        // make the list answer sooner, and sweeping a full list once per message would hold the
        // lock for the whole flood (60,000 revocations past a capacity of 50,000 took 36 s of
        // CPU time, requests waiting on the lock meanwhile).
        if state.overflowed { return }
        if state.count >= capacity {
            Self.sweep(&state)
            // A sweep that made room for less than a sixteenth more would run again within a
            // few messages: refuse instead, so each sweep of a full list is paid for by as many
            // inserts. Refused, the list no longer holds every revocation and must not answer.
            if state.count > capacity - max(capacity / 16, 1) {
                state.overflowed = true
                state.completeFor = nil
                state.nextLoad = .now + overflowRetry
                return
            }
        }
        state[keyPath: table][id] = expiry
        if state.count > max(2 * state.sweptCount, 1024) { Self.sweep(&state) }
    }

    /// How many sweeps of expired entries ran.
    var sweeps: Int { state.withLock { $0.sweeps } }

    /// Which of the followed subscriber's connections the list is complete for (nil: none).
    var completeConnection: Int? {
        state.withLock { state in
            guard let connection = state.subscriber?.connectionNumber, connection == state.completeFor else { return nil }
            return connection
        }
    }

    /// The message text for a revoked `key` that expires in `milliseconds`. `SessionStore`'s
    /// Lua scripts write the same text (`ttl .. ' ' .. key`) for the revocations they make.
    static func message(key: String, milliseconds: Int) -> String { "\(milliseconds) \(key)" }

    private func add(key: String, expiresIn: Duration) {
        if key.hasPrefix(keys.revokedSessionPrefix) {
            add(sessionID: String(key.dropFirst(keys.revokedSessionPrefix.count)), tokenID: nil, expiresIn: expiresIn)
        } else if key.hasPrefix(keys.revokedTokenPrefix) {
            add(sessionID: nil, tokenID: String(key.dropFirst(keys.revokedTokenPrefix.count)), expiresIn: expiresIn)
        } else {
            logger.warning("token revocations: message for an unknown key dropped", metadata: ["key": "\(key)"])
        }
    }

    /// Drops entries past their expiry (their tokens have expired too). Runs once the list has
    /// doubled since the last sweep, so a sweep costs no more than the inserts that led to it,
    /// and when it is full.
    private static func sweep(_ state: inout State) {
        let now = ContinuousClock.now
        state.sessions = state.sessions.filter { $0.value > now }
        state.tokens = state.tokens.filter { $0.value > now }
        state.sweptCount = state.count
        state.sweeps += 1
    }

    /// Makes the list complete for the subscriber's current connection: once Redis confirms
    /// the subscription there (a `SUBSCRIBE` answered after the one sent on connecting, so every
    /// later revocation reaches the list), the revocations already in Redis are read with
    /// `SCAN`. If the connection changed meanwhile, the next check starts over.
    private func load(from subscriber: RedisSubscriber) async {
        var failed = false
        defer {
            state.withLock { state in
                state.loading = false
                if failed { state.nextLoad = .now + .seconds(1) }
            }
        }
        guard let connection = subscriber.connectionNumber else { return }
        state.withLock { $0.overflowed = false }
        do {
            try await subscriber.subscribe(channels: [keys.tokenRevocationsChannel])
            var loaded = 0
            var cursor = "0"
            repeat {
                let reply = try await pool.send(["SCAN", cursor, "MATCH", keys.revokedPattern, "COUNT", 1000])
                guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let found = parts[1].strings
                else { throw RedisError.unexpectedReply("SCAN answered \(reply)") }
                let names = found.compactMap { $0 }
                if !names.isEmpty {
                    let lifetimes = try await pool.pipeline(names.map { ["PTTL", $0] })
                    for (name, lifetime) in zip(names, lifetimes) {
                        // -1: no expiry (not written by this app); -2: gone since the scan.
                        guard let milliseconds = try lifetime.get().int, milliseconds != -2 else { continue }
                        add(key: name, expiresIn: milliseconds > 0 ? .milliseconds(milliseconds) : self.lifetime)
                        loaded += 1
                    }
                }
                cursor = next
                // Full: the next load waits (`insert` set when).
                if state.withLock({ $0.overflowed }) { return }
            } while cursor != "0"
            let complete = state.withLock { state -> Bool in
                guard state.subscriber === subscriber, subscriber.connectionNumber == connection, !state.overflowed else {
                    return false
                }
                state.completeFor = connection
                return true
            }
            if complete { logger.debug("token revocations: list complete", metadata: ["loaded": "\(loaded)"]) }
        } catch {
            failed = true
            logger.warning("token revocations: cannot load the list, checking each token in Redis", metadata: ["error": "\(error)"])
        }
    }
}
