public import HTTPTypes
public import ServiceContextModule

/// A W3C Trace Context `traceparent` header (`00-<trace id>-<parent id>-<flags>`).
///
/// `ErrorMiddleware` reads it from each request and puts the trace id and the caller's span id
/// in the request logger's metadata and in the task's `ServiceContext`, so the lines several
/// instances log for one trace can be joined. A malformed header is ignored, as the
/// recommendation asks: the request goes on without a trace.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    public static let headerName = HTTPField.Name("traceparent")!
    public static let traceIDMetadataKey = "trace.id"
    public static let parentIDMetadataKey = "trace.parent_id"

    public var version: UInt8
    /// 32 lowercase hex digits, not all zero.
    public var traceID: String
    /// The caller's span: 16 lowercase hex digits, not all zero.
    public var parentID: String
    public var flags: UInt8

    public var sampled: Bool { flags & 1 == 1 }

    /// Parses `header`; nil when it breaks any rule of the format. A version above 00 may carry
    /// more fields after a `-`, which are skipped (the specification's forward compatibility).
    public init?(_ header: String) {
        let bytes = Array(header.utf8)
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
            let version = Self.hexByte(bytes[0], bytes[1]), version != 0xff,
            let flags = Self.hexByte(bytes[53], bytes[54])
        else { return nil }
        guard version == 0 ? bytes.count == 55 : (bytes.count == 55 || bytes[55] == UInt8(ascii: "-")) else { return nil }
        let traceID = bytes[3..<35]
        let parentID = bytes[36..<52]
        guard traceID.allSatisfy(Self.isLowerHex), parentID.allSatisfy(Self.isLowerHex),
            traceID.contains(where: { $0 != UInt8(ascii: "0") }), parentID.contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        self.version = version
        self.traceID = String(decoding: traceID, as: UTF8.self)
        self.parentID = String(decoding: parentID, as: UTF8.self)
        self.flags = flags
    }

    /// The header's text, version 00.
    public var description: String {
        let hex = Array("0123456789abcdef".utf8)
        let flagText = String(decoding: [hex[Int(flags >> 4)], hex[Int(flags & 0xf)]], as: UTF8.self)
        return "00-\(traceID)-\(parentID)-\(flagText)"
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8? {
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        guard let high = value(high), let low = value(low) else { return nil }
        return high << 4 | low
    }
}

/// The `ServiceContext` key under which a request's `TraceParent` travels.
public enum TraceParentKey: ServiceContextKey {
    public typealias Value = TraceParent
    public static var nameOverride: String? { "traceparent" }
}

extension ServiceContext {
    /// The incoming request's trace, when it sent a valid `traceparent`.
    public var traceParent: TraceParent? {
        get { self[TraceParentKey.self] }
        set { self[TraceParentKey.self] = newValue }
    }
}
