public import HTTPTypes
public import Hummingbird
public import NIOCore

/// Builds the responses generated `Output` enums turn into: JSON, text, bytes, empty.
///
/// JSON is written with `JSONValueEncoder` (pydantic's conventions) and `JSONWriter` straight
/// into the response buffer, with `Content-Length` set, so a response is one allocation for the
/// bytes plus the encoder's tree.
public enum APIResponse {
    public static let jsonContentType = "application/json"
    private static let encoder = JSONValueEncoder()

    /// `value` as JSON.
    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let json = try Self.encoder.encode(value)
        var writer = JSONWriter(capacity: 256)
        writer.write(json)
        return Self.bytes(writer.bytes, status: status, headers: headers, contentType: Self.jsonContentType)
    }

    /// `value` as JSON, written by the type itself (`JSONBodyWritable`): what the generated
    /// routes call for the models specgen writes a writer for. `throws` only so that one call
    /// site fits both overloads.
    public static func json<T: JSONBodyWritable>(
        _ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        Self.bytes(JSONWriter.bytes(of: value), status: status, headers: headers, contentType: Self.jsonContentType)
    }

    /// Text with the given media type (`text/plain; charset=utf-8` unless told).
    public static func text(
        _ text: String,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        contentType: String = "text/plain; charset=utf-8"
    ) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Self.buffer(buffer, status: status, headers: headers, contentType: contentType)
    }

    /// Raw bytes (`application/octet-stream` unless told).
    public static func bytes(
        _ bytes: some Sequence<UInt8>,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        contentType: String = "application/octet-stream"
    ) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Self.buffer(buffer, status: status, headers: headers, contentType: contentType)
    }

    /// A buffer as the body.
    public static func buffer(
        _ buffer: ByteBuffer,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        contentType: String = "application/octet-stream"
    ) -> Response {
        return Response(status: status, headers: fields(headers, contentType: contentType), body: ResponseBody(byteBuffer: buffer))
    }

    /// `headers` with `Content-Type`. The common case, JSON and no other header, shares one
    /// validated field list instead of checking and inserting the same value on every response.
    static func fields(_ headers: HTTPFields, contentType: String) -> HTTPFields {
        if headers.isEmpty && contentType == jsonContentType { return jsonFields }
        var fields = headers
        fields[.contentType] = contentType
        return fields
    }

    private static let jsonFields: HTTPFields = [.contentType: jsonContentType]

    /// No body (204, or a 201 without content).
    public static func empty(status: HTTPResponse.Status = .noContent, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers, body: ResponseBody())
    }
}

extension APIResponse {
    /// An `HTTPError` body (`{"detail": "..."}`) under the status of the `Output` case that
    /// carries it, with the error's headers (`WWW-Authenticate` on a 401) and then the case's
    /// own (`Retry-After` on a 429), the case's winning where both name a field.
    public static func error(_ error: HTTPError, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var merged = error.headers
        for field in headers { merged[field.name] = field.value }
        return Self.bytes(error.jsonBytes(), status: status, headers: merged, contentType: Self.jsonContentType)
    }

    /// A 422 body under the status of the `Output` case that carries it.
    public static func error(
        _ errors: ValidationErrors, status: HTTPResponse.Status = .unprocessableContent, headers: HTTPFields = [:]
    ) -> Response {
        Self.bytes(errors.jsonBytes(), status: status, headers: headers, contentType: Self.jsonContentType)
    }
}
