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
public typealias JSONLogHandler = LineLogHandler<JSONLogLine>

extension LineLogHandler where Format == JSONLogLine {
    /// A handler writing to standard output.
    public static func standardOutput(label: String, metadataProvider: Logger.MetadataProvider?) -> Self {
        Self(label: label, metadataProvider: metadataProvider, sink: LogOutput.standardOutput)
    }
}

/// `JSONLogHandler`'s line: one JSON object.
public enum JSONLogLine: LogLineFormat {
    public static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, source: String) -> [UInt8] {
        line(date: Date(), level: level, label: label, message: message, metadata: metadata, source: source)
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
