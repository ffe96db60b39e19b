public import HTTPTypes
public import Logging

/// The request id: taken from the client's `x-request-id` when it is sane, otherwise the one
/// Hummingbird made for the request; kept in the logger's metadata under `hb.request.id` (the key
/// Hummingbird's own logs use, so they agree) and echoed in every response.
public enum RequestIdentifier {
    public static let headerName = HTTPField.Name("x-request-id")!
    public static let metadataKey = "hb.request.id"

    /// Accepts 1 to 128 characters from `[A-Za-z0-9._:+/=-]`, which covers UUIDs, hex, base64
    /// and ids of common proxies, and keeps log and header injection out.
    public static func sanitize(_ value: String) -> String? {
        let utf8 = value.utf8
        guard (1...128).contains(utf8.count) else { return nil }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
                UInt8(ascii: "-"):
                continue
            default:
                return nil
            }
        }
        return value
    }

    /// The id recorded in `logger`, or a new one when there is none.
    public static func current(in logger: Logger) -> String {
        if let value = logger[metadataKey: self.metadataKey] {
            switch value {
            case .string(let string): return string
            default: return value.description
            }
        }
        return self.generate()
    }

    /// 32 random hex digits.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let text = String(high, radix: 16) + String(low, radix: 16)
        return String(repeating: "0", count: max(0, 32 - text.count)) + text
    }
}
