public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each log record as one line of text on standard error (`LOG_FORMAT=text`, the
/// default), in swift-log's `StreamLogHandler` layout:
///
/// ```text
/// 2026-01-02T03:04:05+0000 info server: hb.request.id=... http.status=503 [App] message
/// ```
///
/// Why not `StreamLogHandler` itself: it renders its metadata to text every time a key is set,
/// whether or not anything is ever logged, and Hummingbird sets the request id on every
/// request's logger. That rendering (sorting, `description`, joining) cost 7,500 of the 197,000
/// instructions of a health-check request (callgrind, release build), at any log level. This
/// handler keeps the metadata as it is and renders it only for a record that is written.
public typealias TextLogHandler = LineLogHandler<TextLogLine>

extension LineLogHandler where Format == TextLogLine {
    /// A handler writing to standard error, as swift-log's default handler does.
    public static func standardError(label: String, metadataProvider: Logger.MetadataProvider?) -> Self {
        Self(label: label, metadataProvider: metadataProvider, sink: LogOutput.standardError)
    }
}

/// `TextLogHandler`'s line.
public enum TextLogLine: LogLineFormat {
    public static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String) -> [UInt8] {
        line(timestamp: timestamp(), level: level, label: label, message: message, metadata: metadata, source: source)
    }

    /// One record's line, newline-terminated: metadata sorted by key, as `key=value`.
    static func line(
        timestamp: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String
    ) -> [UInt8] {
        var text = timestamp + " " + level.rawValue
        if !label.isEmpty { text += " " + label }
        text += ":"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            text += " \(key)=\(value)"
        }
        text += " [\(source)] \(message)\n"
        return Array(text.utf8)
    }

    /// Local time, as `StreamLogHandler` writes it (`2026-01-02T03:04:05+0000`).
    static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
