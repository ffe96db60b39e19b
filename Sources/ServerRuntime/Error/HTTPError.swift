public import HTTPTypes

/// An error a service throws (or returns in its `Output`) to answer `{"detail": "..."}` with a
/// status, as FastAPI's `HTTPException` does.
///
/// It is also the Swift type of the spec's `HTTPError` schema, so `Output` cases such as
/// `.badRequest(HTTPError)` and thrown errors share one type. A 401 carries
/// `WWW-Authenticate: Bearer` unless the headers say otherwise (RFC 6750 asks for it, and FastAPI's
/// `OAuth2PasswordBearer` sends it).
///
/// The name shadows Hummingbird's `HTTPError` for code that imports ServerRuntime; that one still
/// works when thrown (the error middleware maps it), spelled `Hummingbird.HTTPError`.
public struct HTTPError: Error, Sendable, Hashable {
    public var status: HTTPResponse.Status
    public var detail: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail ?? status.reasonPhrase
        self.headers = headers
        if status == .unauthorized, !headers.contains(.wwwAuthenticate) {
            self.headers[.wwwAuthenticate] = "Bearer"
        }
    }

    /// 401 `Not authenticated`, what FastAPI's OAuth2 scheme answers without a usable token.
    public static var notAuthenticated: HTTPError { HTTPError(.unauthorized, detail: "Not authenticated") }

    /// The body, `{"detail":"..."}`.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: self.detail.utf8.count + 14)
        writer.writeRaw("{\"detail\":")
        writer.write(string: self.detail)
        writer.writeRaw("}")
        return writer.bytes
    }

    public static func == (lhs: HTTPError, rhs: HTTPError) -> Bool {
        lhs.status == rhs.status && lhs.detail == rhs.detail && lhs.headers == rhs.headers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.status.code)
        hasher.combine(self.detail)
    }
}

extension HTTPError: Codable {
    // Only `detail` is on the wire; the status comes from the response line. A decoded value
    // (a client reading an error body) gets 500 until the caller sets the status it saw.
    private enum CodingKeys: String, CodingKey {
        case detail
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(.internalServerError, detail: try container.decode(String.self, forKey: .detail))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.detail, forKey: .detail)
    }
}

extension HTTPError: CustomStringConvertible {
    public var description: String { "HTTPError(\(self.status.code), \(self.detail))" }
}
