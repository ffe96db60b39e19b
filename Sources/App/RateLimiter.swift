import Foundation
import Redis

/// Fixed-window counters in Redis, shared by every instance.
///
/// One Lua script increments all the buckets a request counts against and reads their expiry in
/// one round trip, so concurrent requests on several instances cannot both take the last slot.
/// A fixed window lets a client send up to twice the limit around a window boundary; for a
/// brute-force brake that is fine, and it costs one key per bucket instead of a log per request.
public struct RateLimiter: Sendable {
    let pool: RedisClient
    let keys: RedisKeys
    let window: Duration

    public init(pool: RedisClient, keys: RedisKeys, window: Duration) {
        self.pool = pool
        self.keys = keys
        self.window = window
    }

    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// Seconds until the fullest bucket's window ends (at least 1).
        public var retryAfter: Int
    }

    /// Counts one hit in each bucket; refused when any bucket is now over `limit`.
    public func hit(_ buckets: [String], limit: Int) async throws -> Decision {
        let reply = try await pool.evaluate(
            Self.script, keys: buckets.map(keys.rateLimit), arguments: [window.milliseconds])
        guard let values = reply.array?.compactMap(\.int), values.count == buckets.count * 2 else {
            throw RedisError.unexpectedReply("rate limit script answered \(reply)")
        }
        var allowed = true
        var retryMilliseconds = 0
        for index in stride(from: 0, to: values.count, by: 2) where values[index] > limit {
            allowed = false
            retryMilliseconds = max(retryMilliseconds, values[index + 1])
        }
        return Decision(allowed: allowed, retryAfter: max(1, (retryMilliseconds + 999) / 1000))
    }

    // KEYS: the buckets. ARGV: window (ms). Answers {count, ttl (ms)} per bucket.
    static let script = RedisScript(
        """
        local out = {}
        for i, key in ipairs(KEYS) do
          local count = redis.call('INCR', key)
          local ttl = redis.call('PTTL', key)
          if count == 1 or ttl < 0 then
            redis.call('PEXPIRE', key, ARGV[1])
            ttl = tonumber(ARGV[1])
          end
          out[#out + 1] = count
          out[#out + 1] = ttl
        end
        return out
        """)
}
