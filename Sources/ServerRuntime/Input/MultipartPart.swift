public import NIOCore

/// One part of a `multipart/form-data` body.
public struct MultipartPart: Sendable {
    /// The `name` of its `Content-Disposition`.
    public var name: String
    /// The `filename`, present for file uploads.
    public var filename: String?
    /// The part's own `Content-Type`, if it states one.
    public var contentType: String?
    /// Every header of the part, names lowercased.
    public var headers: [(name: String, value: String)]
    public var body: ByteBuffer

    public init(
        name: String, filename: String? = nil, contentType: String? = nil, headers: [(name: String, value: String)] = [], body: ByteBuffer
    ) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// Whether the part is a file (has a filename) rather than a plain field.
    public var isFile: Bool { self.filename != nil }

    /// The body as text.
    public var text: String { String(buffer: self.body) }
}
