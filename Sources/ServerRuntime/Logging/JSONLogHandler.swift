import Foundation
public import Logging

/// Writes each log record as one JSON object on one line (`LOG_FORMAT=json`), for log
/// collectors that parse rather than grep:
///
/// ```json
/// {"timestamp":"2026-01-02T03:04:05.123Z","level":"info","label":"server","message":"...",
///  "request_id":"...","trace_id":"...","metadata":{"hb.request.id":"...", ...}}
/// ```
///
/// The request id and trace id are lifted to the top level so a collector can index them
/// without knowing Hummingbird's metadata keys; all metadata is kept under `metadata`.
public struct JSONLogHandler: LogHandler {
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

    /// A handler writing to standard output.
    public static func standardOutput(label: String, metadataProvider: Logger.MetadataProvider?) -> JSONLogHandler {
        JSONLogHandler(label: label, metadataProvider: metadataProvider, sink: LogOutput.standardOutput)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        sink(
            Self.line(
                date: Date(), level: event.level, label: label, message: event.message.description,
                metadata: LogOutput.metadata(metadata, provider: metadataProvider, event: event), source: event.source))
    }

    /// The JSON text of one record, newline-terminated.
    static func line(
        date: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String
    ) -> [UInt8] {
        var members: [JSONObject.Member] = [
            .init(key: "timestamp", value: .string(RFC3339.format(date))),
            .init(key: "level", value: .string(level.rawValue)),
            .init(key: "label", value: .string(label)),
            .init(key: "message", value: .string(message)),
        ]
        if let id = metadata[RequestIdentifier.metadataKey] { members.append(.init(key: "request_id", value: json(id))) }
        if let id = metadata[TraceParent.traceIDMetadataKey] { members.append(.init(key: "trace_id", value: json(id))) }
        members.append(.init(key: "source", value: .string(source)))
        if !metadata.isEmpty {
            let sorted = metadata.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: json($0.value)) }
            members.append(.init(key: "metadata", value: .object(JSONObject(sorted))))
        }
        var writer = JSONWriter(capacity: 256)
        writer.write(.object(JSONObject(members)))
        writer.bytes.append(UInt8(ascii: "\n"))
        return writer.bytes
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let dictionary):
            .object(JSONObject(dictionary.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: json($0.value)) }))
        }
    }
}
