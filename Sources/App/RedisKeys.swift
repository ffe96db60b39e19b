import Foundation
import ServerRuntime

/// Every Redis key the app uses, under one prefix (`REDIS_KEY_PREFIX`), so several apps or test
/// runs can share a Redis server and the keys read as what they hold.
public struct RedisKeys: Sendable {
    public let prefix: String

    public init(prefix: String) {
        self.prefix = prefix
    }

    /// A refresh token's record, keyed by the token's SHA-256 so the token itself is never stored.
    func refreshToken(hash: String) -> String { prefix + "refresh:" + hash }
    /// A session: one login and the chain of refresh tokens rotated from it.
    var sessionPrefix: String { prefix + "session:" }
    func session(_ id: String) -> String { sessionPrefix + id }
    /// The sessions of a user, for "log out everywhere".
    var userSessionsPrefix: String { prefix + "user-sessions:" }
    func userSessions(_ userID: UUID) -> String { userSessionsPrefix + UUIDText.format(userID) }
    /// Access tokens of a revoked session are refused until they would have expired anyway.
    var revokedSessionPrefix: String { prefix + "revoked-session:" }
    func revokedSession(_ id: String) -> String { revokedSessionPrefix + id }
    var revokedTokenPrefix: String { prefix + "revoked-token:" }
    func revokedToken(_ jti: String) -> String { revokedTokenPrefix + jti }
    /// A `SCAN MATCH` pattern for both kinds of revocation (the prefix's glob characters escaped).
    var revokedPattern: String {
        var escaped = ""
        for character in prefix {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "revoked-*"
    }
    /// One-time tokens (password reset links) already used.
    func usedToken(_ jti: String) -> String { prefix + "used-token:" + jti }
    func rateLimit(_ bucket: String) -> String { prefix + "rate:" + bucket }
    func cachedItem(_ id: UUID) -> String { prefix + "cache:item:" + UUIDText.format(id) }
    func cachedUser(_ id: UUID) -> String { prefix + "cache:user:" + UUIDText.format(id) }
    var notificationsChannel: String { prefix + "item-events" }
    /// Revocations that close WebSockets on every instance (`SocketRevocation`).
    var socketRevocationsChannel: String { prefix + "socket-revocations" }
    /// Every revocation key written, as `RevocationList` messages.
    var tokenRevocationsChannel: String { prefix + "token-revocations" }
}
