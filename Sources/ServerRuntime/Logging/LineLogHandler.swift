public import Logging

/// How a `LineLogHandler` writes one record: its whole line, newline included.
public protocol LogLineFormat: Sendable {
    static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String) -> [UInt8]
}

/// A log handler that writes each record as one line in `Format` (`TextLogHandler`,
/// `JSONLogHandler`). It keeps its metadata as set and renders it only for a record it writes.
public struct LineLogHandler<Format: LogLineFormat>: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: @Sendable ([UInt8]) -> Void

    /// A handler for `label` that hands each line (newline included) to `sink`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        sink(
            Format.line(
                level: event.level, label: label, message: event.message.description,
                metadata: LogOutput.metadata(metadata, provider: metadataProvider, event: event), source: event.source))
    }
}
