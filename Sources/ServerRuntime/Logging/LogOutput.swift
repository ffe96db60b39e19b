public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the log handlers share: where their lines go, and which metadata a record carries.
enum LogOutput {
    private static let lock = Mutex(())

    /// Writes `bytes` to standard output, one `write` per line under a lock, so lines of
    /// concurrent requests never interleave.
    static func standardOutput(_ bytes: [UInt8]) { writeAll(bytes, to: 1) }

    /// The same on standard error.
    static func standardError(_ bytes: [UInt8]) { writeAll(bytes, to: 2) }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { return }
                    offset += written
                }
            }
        }
    }

    /// A record's metadata: the logger's, then the provider's, then the call's, each winning
    /// over the one before; an error passed to the call adds `error.message` and `error.type`,
    /// as swift-log's own handler does.
    static func metadata(_ base: Logger.Metadata, provider: Logger.MetadataProvider?, event: LogEvent) -> Logger.Metadata {
        var merged = base
        if let provided = provider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }
}
