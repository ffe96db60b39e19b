public import NIOCore

/// A parsed `multipart/form-data` body (RFC 7578).
public struct MultipartForm: Sendable {
    public var parts: [MultipartPart]

    public init(parts: [MultipartPart]) {
        self.parts = parts
    }

    /// The plain fields as a form object, for models validated like urlencoded forms. Empty
    /// values are left out, as FastAPI leaves them out.
    public var fields: JSONObject {
        var object = JSONObject(isForm: true)
        for part in self.parts where !part.isFile && part.body.readableBytes > 0 {
            object.append(part.name, .string(part.text))
        }
        return object
    }

    /// The first part called `name`.
    public func part(named name: String) -> MultipartPart? {
        self.parts.first { $0.name == name }
    }

    /// Every file part called `name`.
    public func files(named name: String) -> [MultipartPart] {
        self.parts.filter { $0.name == name && $0.isFile }
    }

    /// Why a body could not be read as multipart.
    public struct ParseError: Error, Sendable, Hashable {
        public var reason: String
    }

    /// Splits `body` at `boundary` and reads each part's headers.
    public static func parse(_ body: ByteBuffer, boundary: String) throws(ParseError) -> MultipartForm {
        let delimiter = Array("--\(boundary)".utf8)
        let bytes = body.readableBytesView
        var parts: [MultipartPart] = []
        guard var position = Self.find(delimiter, in: bytes, from: bytes.startIndex) else {
            throw ParseError(reason: "boundary not found")
        }
        while true {
            position += delimiter.count
            // `--` after a delimiter closes the body.
            if bytes.index(position, offsetBy: 2, limitedBy: bytes.endIndex) != nil,
                bytes[position] == UInt8(ascii: "-"), bytes[position + 1] == UInt8(ascii: "-")
            {
                return MultipartForm(parts: parts)
            }
            position = Self.skipLineBreak(bytes, position)
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: bytes, from: position) else {
                throw ParseError(reason: "part headers are not terminated")
            }
            let headerText = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = Self.find(Array("\r\n".utf8) + delimiter, in: bytes, from: contentStart) else {
                throw ParseError(reason: "closing boundary not found")
            }
            var part = try Self.makePart(headers: headerText)
            part.body = body.getSlice(at: body.readerIndex + (contentStart - bytes.startIndex), length: next - contentStart) ?? ByteBuffer()
            parts.append(part)
            position = next + 2
        }
    }

    private static func makePart(headers text: String) throws(ParseError) -> MultipartPart {
        var headers: [(name: String, value: String)] = []
        for line in text.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].trimmingWhitespace().lowercased(), line[line.index(after: colon)...].trimmingWhitespace()))
        }
        guard let disposition = headers.first(where: { $0.name == "content-disposition" })?.value,
            let parsed = ContentType(disposition), parsed.mediaType == "form-data", let name = parsed.parameters["name"]
        else {
            throw ParseError(reason: "part without a form-data name")
        }
        return MultipartPart(
            name: name,
            filename: parsed.parameters["filename"],
            contentType: headers.first { $0.name == "content-type" }?.value,
            headers: headers,
            body: ByteBuffer()
        )
    }

    private static func skipLineBreak(_ bytes: ByteBufferView, _ position: Int) -> Int {
        var position = position
        if position < bytes.endIndex, bytes[position] == UInt8(ascii: "\r") { position += 1 }
        if position < bytes.endIndex, bytes[position] == UInt8(ascii: "\n") { position += 1 }
        return position
    }

    private static func find(_ needle: [UInt8], in haystack: ByteBufferView, from start: Int) -> Int? {
        guard let first = needle.first, haystack.endIndex - start >= needle.count else { return nil }
        var index = start
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
