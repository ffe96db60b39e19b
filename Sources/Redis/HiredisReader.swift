import CHiredis

/// hiredis's RESP parser on its own (`redisReader`), fed whatever bytes arrive, in any pieces;
/// the multiplexed client reads its socket through NIO and parses here.
///
/// Not thread-safe: used by one channel handler, on its event loop.
final class HiredisReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        guard let reader = redisReaderCreate() else { fatalError("hiredis could not allocate a reader") }
        self.reader = reader
    }

    deinit {
        redisReaderFree(reader)
    }

    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count) == REDIS_OK else {
            throw RedisError.connectionLost("the Redis reply could not be parsed: \(errorString)")
        }
    }

    /// The next complete reply, or nil until more bytes arrive.
    func next() throws -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            throw RedisError.connectionLost("the Redis reply could not be parsed: \(errorString)")
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return HiredisContext.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private var errorString: String {
        withUnsafeBytes(of: reader.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
