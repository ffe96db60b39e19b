import Foundation
import Logging
import Redis

/// Read-through cache of single items and users in Redis, shared by every instance.
///
/// Redis is a cache here, not the source of truth: when it cannot be reached, reads go to
/// PostgreSQL and writes skip the cache (logged at debug, so an outage does not flood the log;
/// `/health/ready` reports it). Every write that changes a cached value deletes it after the
/// database commit; a read racing with that write can put the old value back, which the TTL
/// bounds (`CACHE_TTL_SECONDS`).
public struct ResponseCache: Sendable {
    let pool: RedisClient
    let ttl: Duration
    let logger: Logger

    public init(pool: RedisClient, ttl: Duration, logger: Logger) {
        self.pool = pool
        self.ttl = ttl
        self.logger = logger
    }

    var enabled: Bool { ttl > .zero }

    /// The cached value, or nil on a miss, on an outage and on an entry that no longer decodes.
    func get<Value: Decodable>(_ type: Value.Type, key: String) async -> Value? {
        guard enabled else { return nil }
        do {
            return decode(type, from: try await pool.send(["GET", key]))
        } catch {
            logger.debug("cache read skipped", metadata: ["key": "\(key)", "error": "\(error)"])
            return nil
        }
    }

    /// A `GET`'s reply as a cached value (for callers that pipeline the `GET` with other commands).
    /// Entries are the API's own JSON, read with the runtime's decoder: Foundation's is several
    /// times slower, and this runs on every authenticated request.
    func decode<Value: Decodable>(_ type: Value.Type, from reply: RedisReply) -> Value? {
        guard let bytes = reply.bytes else { return nil }
        return try? WireJSON.decode(type, from: bytes)
    }

    func put(_ value: some Encodable, key: String) async {
        guard enabled else { return }
        do {
            let bytes = try WireJSON.encode(value)
            _ = try await pool.send(["SET", key, bytes, "PX", ttl.milliseconds])
        } catch {
            logger.debug("cache write skipped", metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }

    func invalidate(_ keys: [String]) async {
        guard enabled, !keys.isEmpty else { return }
        do {
            _ = try await pool.send(["DEL"] + keys)
        } catch {
            logger.warning("cache invalidation failed", metadata: ["keys": "\(keys)", "error": "\(error)"])
        }
    }
}
