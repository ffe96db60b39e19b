import Foundation
import Logging
import Redis
import Security
import ServerRuntime

/// Read-through cache of single items and users in Redis, shared by every instance.
///
/// Redis is a cache here, not the source of truth: when it cannot be reached, reads go to
/// PostgreSQL and writes skip the cache (logged at debug, so an outage does not flood the log;
/// `/health/ready` reports it). Every write that changes a cached value deletes it after the
/// database commit.
///
/// A read that misses fills the entry under a lease, so a read racing a write cannot put the
/// old value back: before reading PostgreSQL the reader puts a unique lease marker in the empty
/// entry (`SET NX`), and stores its value only if its own marker is still there. A write's
/// delete removes the marker, so a value read before the write's commit is dropped, however
/// the two interleave; the entry is filled by the next read. A lease expires after
/// `leaseLifetime`, after which its holder's value is dropped too.
public struct ResponseCache: Sendable {
    let pool: RedisClient
    let ttl: Duration
    let logger: Logger
    let metrics: AppMetrics
    /// Runs before a leased value is stored: tests hold a read there to force the race with a
    /// write. Nil outside tests.
    public var beforeFill: (@Sendable (_ key: String) async -> Void)?

    static let leaseLifetime = Duration.seconds(10)
    static let leasePrefix = Array("lease:".utf8)

    public init(pool: RedisClient, ttl: Duration, logger: Logger, metrics: AppMetrics = AppMetrics(enabled: false)) {
        self.pool = pool
        self.ttl = ttl
        self.logger = logger
        self.metrics = metrics
    }

    var enabled: Bool { ttl > .zero }

    /// The right to fill one entry, held by the read that took it.
    struct Lease: Sendable {
        let key: String
        let token: [UInt8]
    }

    /// The cached value, or nil on a miss, on an outage and on an entry that no longer decodes.
    /// The key is built only when the cache is on: with it off, formatting the two keys of an
    /// uncached item read cost 4,000 instructions per request (callgrind).
    func get<Value: Decodable>(_ type: Value.Type, key makeKey: @autoclosure () -> String) async -> Value? {
        guard enabled else { return nil }
        let key = makeKey()
        do {
            return decode(type, from: try await pool.send(["GET", key]))
        } catch {
            logger.debug("cache read skipped", metadata: ["key": "\(key)", "error": "\(error)"])
            metrics.cacheMisses.increment()
            return nil
        }
    }

    /// A `GET`'s reply as a cached value (for callers that pipeline the `GET` with other commands).
    /// Entries are the API's own JSON, read with the runtime's decoder: Foundation's is several
    /// times slower, and this runs on every authenticated request. A lease marker is a miss.
    func decode<Value: Decodable>(_ type: Value.Type, from reply: RedisReply) -> Value? {
        guard let bytes = reply.bytes, !bytes.starts(with: Self.leasePrefix), let value = try? WireJSON.decode(type, from: bytes) else {
            metrics.cacheMisses.increment()
            return nil
        }
        metrics.cacheHits.increment()
        return value
    }

    /// Takes the lease of an empty entry; call before reading the value from PostgreSQL. Nil
    /// when the entry is not empty (another read holds its lease) or Redis is down: the read
    /// then goes on without filling the cache.
    func lease(_ makeKey: @autoclosure () -> String) async -> Lease? {
        guard enabled else { return nil }
        let key = makeKey()
        do {
            let token = Self.leasePrefix + Array(try SecureRandom.hexToken(byteCount: 12).utf8)
            let reply = try await pool.send(["SET", key, token, "NX", "PX", Self.leaseLifetime.milliseconds])
            return reply.isNull ? nil : Lease(key: key, token: token)
        } catch {
            logger.debug("cache lease skipped", metadata: ["key": "\(key)", "error": "\(error)"])
            return nil
        }
    }

    /// Stores `value` if `lease` still holds its entry, that is if no write deleted it since the
    /// lease was taken.
    func put(_ value: some JSONBodyWritable, lease: Lease?) async {
        guard enabled, let lease else { return }
        if let beforeFill { await beforeFill(lease.key) }
        do {
            let bytes = WireJSON.encode(value)
            _ = try await pool.evaluate(Self.fillScript, keys: [lease.key], arguments: [lease.token, bytes, ttl.milliseconds])
        } catch {
            logger.debug("cache write skipped", metadata: ["key": "\(lease.key)", "error": "\(error)"])
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

    // KEYS: the entry. ARGV: the lease token, the value, its lifetime (ms). 1 when stored.
    static let fillScript = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """)
}
