import Hummingbird
public import NIOCore

/// Request bodies by content type.
///
/// The body is collected once, up to `RouteConfiguration.maxBodySize` (a declared
/// `Content-Length` over the limit is refused before reading). The behaviour at the edges is
/// FastAPI's: an empty body is a missing body; a JSON route also parses a body sent without a
/// `Content-Type`, and treats a body of another type as a string (which then fails the model with
/// `model_attributes_type`); a form route reads a body that is not a form as an empty form.
extension RequestReader {
    /// 413 for a body over the limit.
    public static var bodyTooLarge: HTTPError { HTTPError(.contentTooLarge, detail: "Request body too large") }

    /// The whole body, collected on first use.
    public mutating func collectBody() async throws -> ByteBuffer {
        if let collectedBody { return collectedBody }
        if let declared = self.request.headers[.contentLength].flatMap({ Int($0) }), declared > self.maxBodySize {
            throw Self.bodyTooLarge
        }
        var collected: ByteBuffer?
        for try await chunk in self.request.body {
            if collected == nil {
                // The usual case, one chunk, is kept without copying.
                collected = chunk
            } else {
                collected!.writeImmutableBuffer(chunk)
            }
            if collected!.readableBytes > self.maxBodySize { throw Self.bodyTooLarge }
        }
        let body = collected ?? ByteBuffer()
        self.collectedBody = body
        return body
    }

    /// The `Content-Type` of the request, if it has one.
    public var contentType: ContentType? { ContentType(headers: self.request.headers) }

    // MARK: JSON

    /// An `application/json` body as a `JSONValue`, or nil when absent (recording `missing` at
    /// `["body"]` if `required`) or not JSON (recording `json_invalid` at `["body", position]`).
    public mutating func jsonBody(required: Bool) async throws -> JSONValue? {
        let body = try await self.collectBody()
        guard body.readableBytes > 0 else {
            if required { self.errors.record(.missing, at: .body, input: .null) }
            return nil
        }
        if let contentType = self.contentType, !contentType.isJSON {
            return .string(String(buffer: body))
        }
        do {
            return try body.withUnsafeReadableBytes { raw throws(JSONParseError) in
                try JSONParser.parse(raw.bindMemory(to: UInt8.self))
            }
        } catch {
            if error.kind == .invalidUTF8 {
                throw HTTPError(.badRequest, detail: "There was an error parsing the body")
            }
            self.errors.append(
                ValidationError(
                    type: "json_invalid",
                    loc: ["body", .index(error.characterOffset)],
                    msg: "JSON decode error",
                    input: .object([:]),
                    ctx: ["error": .string(error.message)]
                )
            )
            return nil
        }
    }

    /// A JSON body validated and built as `T` (a generated model, a list, a scalar).
    public mutating func body<T: SchemaValue>(_ type: T.Type, required: Bool) async throws -> T? {
        guard let json = try await self.jsonBody(required: required) else { return nil }
        return T.decode(json, at: FieldLocation(.body), errors: &self.errors)
    }

    // MARK: Forms

    /// The fields of an `application/x-www-form-urlencoded` or `multipart/form-data` body as a
    /// form object (files left out); an empty object for a body of any other type.
    public mutating func formFields() async throws -> JSONObject {
        guard let contentType = self.contentType, contentType.isURLEncodedForm || contentType.isMultipartForm else {
            return JSONObject(isForm: true)
        }
        if contentType.isMultipartForm {
            return try await self.multipartBody(required: false)?.fields ?? JSONObject(isForm: true)
        }
        let body = try await self.collectBody()
        return body.withUnsafeReadableBytes { raw in
            URLEncodedPairs.parse(bytes: raw.bindMemory(to: UInt8.self), dropEmptyValues: true).formObject
        }
    }

    /// A form body validated and built as `T`: the OAuth2 password form, any urlencoded or
    /// multipart model. Values are strings; the model's lax conversions turn declared integers
    /// and booleans into numbers, as FastAPI does.
    public mutating func formBody<T: SchemaValue>(_ type: T.Type, required: Bool) async throws -> T? {
        let fields = try await self.formFields()
        return T.decode(.object(fields), at: FieldLocation(.body, isText: true), errors: &self.errors)
    }

    /// A `multipart/form-data` body with its files; nil when absent or not multipart.
    public mutating func multipartBody(required: Bool) async throws -> MultipartForm? {
        let body = try await self.collectBody()
        guard body.readableBytes > 0, let contentType = self.contentType, contentType.isMultipartForm,
            let boundary = contentType.parameters["boundary"]
        else {
            if required { self.errors.record(.missing, at: .body, input: .null) }
            return nil
        }
        do {
            return try MultipartForm.parse(body, boundary: boundary)
        } catch {
            throw HTTPError(.badRequest, detail: "There was an error parsing the body")
        }
    }

    // MARK: Text and bytes

    /// A `text/plain` body as a string.
    public mutating func textBody(required: Bool) async throws -> String? {
        let body = try await self.collectBody()
        guard body.readableBytes > 0 else {
            if required { self.errors.record(.missing, at: .body, input: .null) }
            return nil
        }
        return String(buffer: body)
    }

    /// An `application/octet-stream` (or any other) body as bytes.
    public mutating func binaryBody(required: Bool) async throws -> ByteBuffer? {
        let body = try await self.collectBody()
        guard body.readableBytes > 0 else {
            if required { self.errors.record(.missing, at: .body, input: .null) }
            return nil
        }
        return body
    }
}
