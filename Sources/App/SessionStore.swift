import Foundation
import Redis
import Security
import ServerRuntime

/// Sessions in Redis: opaque, single-use refresh tokens, and the revocations every instance
/// checks access tokens against.
///
/// A login starts a session (the "family" of the refresh tokens rotated from it). Its id travels
/// in the access token's `sid` claim, so ending the session also ends its access tokens. A
/// refresh token is stored only as its SHA-256; exchanging it marks it used and issues the next
/// one. Presenting a used token again means two parties hold it (a stolen copy): the whole
/// session ends, the thief's and the victim's tokens alike, as RFC 9700 §4.14.2 recommends.
/// Each step is one Lua script, so two instances racing on one token cannot both win.
///
/// Every revocation written is also published (`RevocationList`), in the same script or
/// pipeline as the key, and added to this instance's list at once.
public struct SessionStore: Sendable {
    let pool: RedisClient
    let keys: RedisKeys
    let refreshLifetime: Duration
    /// Revocations live as long as the access tokens they refuse.
    let accessLifetime: Duration
    let revocations: RevocationList

    public init(
        pool: RedisClient, keys: RedisKeys, refreshLifetime: Duration, accessLifetime: Duration, revocations: RevocationList
    ) {
        self.pool = pool
        self.keys = keys
        self.refreshLifetime = refreshLifetime
        self.accessLifetime = accessLifetime
        self.revocations = revocations
    }

    /// A new session's id and first refresh token.
    public struct Grant: Sendable {
        public var sessionID: String
        public var refreshToken: String
    }

    /// What exchanging a refresh token gave.
    public enum Rotation: Sendable, Equatable {
        case rotated(userID: UUID, sessionID: String, refreshToken: String)
        /// Unknown or expired.
        case unknown
        /// Its session ended (logout, logout everywhere, or an earlier reuse).
        case revoked
        /// Already exchanged once: the session has now been ended.
        case reused(userID: UUID, sessionID: String)
    }

    public func start(userID: UUID) async throws -> Grant {
        let sessionID = try SecureRandom.hexToken(byteCount: 16)
        let token = try SecureRandom.urlSafeToken(byteCount: 32)
        try await pool.evaluate(
            Self.startScript,
            keys: [keys.refreshToken(hash: Digest.sha256Hex(token)), keys.session(sessionID), keys.userSessions(userID)],
            arguments: [UUIDText.format(userID), sessionID, refreshLifetime.milliseconds])
        return Grant(sessionID: sessionID, refreshToken: token)
    }

    public func rotate(_ refreshToken: String) async throws -> Rotation {
        let next = try SecureRandom.urlSafeToken(byteCount: 32)
        let reply = try await pool.evaluate(
            Self.rotateScript,
            keys: [keys.refreshToken(hash: Digest.sha256Hex(refreshToken)), keys.refreshToken(hash: Digest.sha256Hex(next))],
            arguments: [
                keys.sessionPrefix, keys.userSessionsPrefix, keys.revokedSessionPrefix,
                refreshLifetime.milliseconds, accessLifetime.milliseconds, keys.tokenRevocationsChannel,
            ])
        guard let parts = reply.strings, let outcome = parts.first ?? nil else {
            throw RedisError.unexpectedReply("session rotation answered \(reply)")
        }
        let userID = parts.count > 1 ? parts[1].flatMap(UUID.init(uuidString:)) : nil
        let sessionID = parts.count > 2 ? parts[2] : nil
        switch (outcome, userID, sessionID) {
        case ("ok", let userID?, let sessionID?): return .rotated(userID: userID, sessionID: sessionID, refreshToken: next)
        case ("reused", let userID?, let sessionID?):
            revocations.add(sessionID: sessionID, tokenID: nil, expiresIn: accessLifetime)
            return .reused(userID: userID, sessionID: sessionID)
        case ("revoked", _, _): return .revoked
        default: return .unknown
        }
    }

    /// Ends one session: its refresh token stops working, and its access tokens (and this one
    /// `jti`, for tokens issued without a session) are refused until they expire.
    public func end(sessionID: String?, userID: UUID, tokenID: String?, tokenExpiresAt: Date) async throws {
        var commands: [[any RedisArgument]] = []
        let accessMilliseconds = accessLifetime.milliseconds
        let channel = keys.tokenRevocationsChannel
        if let sessionID {
            let key = keys.revokedSession(sessionID)
            commands.append(["DEL", keys.session(sessionID)])
            commands.append(["SREM", keys.userSessions(userID), sessionID])
            commands.append(["SET", key, "1", "PX", accessMilliseconds])
            commands.append(["PUBLISH", channel, RevocationList.message(key: key, milliseconds: accessMilliseconds)])
        }
        let remaining = max(1, Int((tokenExpiresAt.timeIntervalSinceNow * 1000).rounded(.up)))
        if let tokenID {
            let key = keys.revokedToken(tokenID)
            commands.append(["SET", key, "1", "PX", remaining])
            commands.append(["PUBLISH", channel, RevocationList.message(key: key, milliseconds: remaining)])
        }
        guard !commands.isEmpty else { return }
        for result in try await pool.pipeline(commands) { _ = try result.get() }
        if let sessionID { revocations.add(sessionID: sessionID, tokenID: nil, expiresIn: accessLifetime) }
        if let tokenID { revocations.add(sessionID: nil, tokenID: tokenID, expiresIn: .milliseconds(remaining)) }
    }

    /// Ends every session of `userID`.
    public func endAll(userID: UUID) async throws {
        let reply = try await pool.evaluate(
            Self.endAllScript, keys: [keys.userSessions(userID)],
            arguments: [keys.sessionPrefix, keys.revokedSessionPrefix, accessLifetime.milliseconds, keys.tokenRevocationsChannel])
        guard let sessions = reply.strings else { throw RedisError.unexpectedReply("ending every session answered \(reply)") }
        for case let sessionID? in sessions { revocations.add(sessionID: sessionID, tokenID: nil, expiresIn: accessLifetime) }
    }

    /// Whether an access token was revoked (its session ended, or the token itself), from this
    /// process's list; nil when the list cannot tell and Redis must be asked (`revocationCheck`).
    func locallyRevoked(sessionID: String?, tokenID: String?) -> Bool? {
        guard sessionID != nil || tokenID != nil else { return false }
        return revocations.isRevoked(sessionID: sessionID, tokenID: tokenID)
    }

    /// The command that checks whether an access token was revoked (its session ended, or the
    /// token itself), pipelined by the caller with its other reads; nil when there is nothing
    /// to check.
    func revocationCheck(sessionID: String?, tokenID: String?) -> [any RedisArgument]? {
        var arguments: [any RedisArgument] = ["EXISTS"]
        if let sessionID { arguments.append(keys.revokedSession(sessionID)) }
        if let tokenID { arguments.append(keys.revokedToken(tokenID)) }
        return arguments.count > 1 ? arguments : nil
    }

    /// The answer to `revocationCheck`'s command.
    static func isRevoked(_ reply: RedisReply) throws -> Bool {
        guard let count = reply.int else { throw RedisError.unexpectedReply("EXISTS answered \(reply)") }
        return count > 0
    }

    /// Records that the one-time token `tokenID` was used; false when it already was.
    public func consumeOnce(tokenID: String, expiresAt: Date) async throws -> Bool {
        let remaining = max(1, Int((expiresAt.timeIntervalSinceNow * 1000).rounded(.up)))
        let reply = try await pool.send(["SET", keys.usedToken(tokenID), "1", "NX", "PX", remaining])
        return !reply.isNull
    }

    // KEYS: refresh token record, session, user's sessions. ARGV: user id, session id, lifetime (ms).
    static let startScript = RedisScript(
        """
        redis.call('HSET', KEYS[1], 'user', ARGV[1], 'session', ARGV[2], 'used', '0')
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('HSET', KEYS[2], 'user', ARGV[1])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call('SADD', KEYS[3], ARGV[2])
        redis.call('PEXPIRE', KEYS[3], ARGV[3])
        return 1
        """)

    // KEYS: presented token's record, next token's record. ARGV: session key prefix, user
    // sessions prefix, revoked session prefix, refresh lifetime (ms), access lifetime (ms),
    // token revocations channel. Answers {outcome, user, session}.
    static let rotateScript = RedisScript(
        """
        local user = redis.call('HGET', KEYS[1], 'user')
        if not user then return {'unknown'} end
        local session = redis.call('HGET', KEYS[1], 'session')
        local sessionKey = ARGV[1] .. session
        if redis.call('HGET', KEYS[1], 'used') == '1' then
          redis.call('DEL', sessionKey)
          redis.call('SREM', ARGV[2] .. user, session)
          redis.call('SET', ARGV[3] .. session, '1', 'PX', ARGV[5])
          redis.call('PUBLISH', ARGV[6], ARGV[5] .. ' ' .. ARGV[3] .. session)
          return {'reused', user, session}
        end
        if redis.call('EXISTS', sessionKey) == 0 then return {'revoked', user, session} end
        -- The used record stays until it would have expired, to recognise a replay.
        redis.call('HSET', KEYS[1], 'used', '1')
        redis.call('HSET', KEYS[2], 'user', user, 'session', session, 'used', '0')
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PEXPIRE', sessionKey, ARGV[4])
        redis.call('PEXPIRE', ARGV[2] .. user, ARGV[4])
        return {'ok', user, session}
        """)

    // KEYS: the user's sessions. ARGV: session key prefix, revoked session prefix, access
    // lifetime (ms), token revocations channel. Answers the sessions ended.
    static let endAllScript = RedisScript(
        """
        local sessions = redis.call('SMEMBERS', KEYS[1])
        for _, session in ipairs(sessions) do
          redis.call('DEL', ARGV[1] .. session)
          redis.call('SET', ARGV[2] .. session, '1', 'PX', ARGV[3])
          redis.call('PUBLISH', ARGV[4], ARGV[3] .. ' ' .. ARGV[2] .. session)
        end
        redis.call('DEL', KEYS[1])
        return sessions
        """)
}

extension Duration {
    /// Whole milliseconds, at least 1 (Redis refuses a zero expiry).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
