#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value a typed response header is written from, in OpenAPI's `simple` style: scalars as
/// their text, arrays comma-separated, dates as RFC 3339 (the `date-time` format the body uses).
public protocol HeaderValue {
    var headerText: String { get }
}

extension String: HeaderValue {
    public var headerText: String { self }
}

extension Int: HeaderValue {
    public var headerText: String { String(self) }
}

extension Int32: HeaderValue {
    public var headerText: String { String(self) }
}

extension Int64: HeaderValue {
    public var headerText: String { String(self) }
}

extension Double: HeaderValue {
    public var headerText: String { String(self) }
}

extension Float: HeaderValue {
    public var headerText: String { String(self) }
}

extension Bool: HeaderValue {
    public var headerText: String { self ? "true" : "false" }
}

extension UUID: HeaderValue {
    public var headerText: String { UUIDText.format(self) }
}

extension Date: HeaderValue {
    public var headerText: String { RFC3339.format(self) }
}

extension Array: HeaderValue where Element: HeaderValue {
    public var headerText: String { map(\.headerText).joined(separator: ",") }
}
