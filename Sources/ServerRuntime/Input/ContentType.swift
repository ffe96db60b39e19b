public import HTTPTypes

/// A request's `Content-Type`, reduced to what body decoding needs: the lowercased media type
/// and the `boundary` of multipart bodies.
public struct ContentType: Sendable, Hashable {
    /// `type/subtype`, lowercased, without parameters.
    public var mediaType: String
    public var parameters: [String: String]

    public init?(_ header: String) {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        guard let first = parts.next() else { return nil }
        let mediaType = first.trimmingWhitespace().lowercased()
        guard !mediaType.isEmpty else { return nil }
        self.mediaType = mediaType
        self.parameters = [:]
        while let parameter = parts.next() {
            guard let equals = parameter.firstIndex(of: "=") else { continue }
            let name = parameter[..<equals].trimmingWhitespace().lowercased()
            var value = parameter[parameter.index(after: equals)...].trimmingWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            self.parameters[name] = value
        }
    }

    /// The `Content-Type` of `headers`, if any.
    public init?(headers: HTTPFields) {
        guard let header = headers[.contentType] else { return nil }
        self.init(header)
    }

    /// `application/json` or any `application/*+json`, what FastAPI parses as JSON.
    public var isJSON: Bool {
        self.mediaType == "application/json" || (self.mediaType.hasPrefix("application/") && self.mediaType.hasSuffix("+json"))
    }

    public var isURLEncodedForm: Bool { self.mediaType == "application/x-www-form-urlencoded" }
    public var isMultipartForm: Bool { self.mediaType == "multipart/form-data" }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let string = String(self)
        let scalars = string.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(Substring(scalars[first...last]))
    }
}
