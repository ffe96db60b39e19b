public import HTTPTypes
public import Hummingbird

/// Reads `Authorization: Bearer <token>`, as FastAPI's `OAuth2PasswordBearer` does: the scheme
/// is case-insensitive, and anything else (no header, another scheme, no token) is no token.
public enum BearerToken {
    public static func extract(from request: Request) -> Substring? {
        self.extract(from: request.headers)
    }

    public static func extract(from headers: HTTPFields) -> Substring? {
        // The first `Authorization` field, as Starlette's `headers.get` reads it. Not
        // `headers[.authorization]`: that builds the fields' name index and joins repeated
        // fields, 4,000 instructions per authenticated request (callgrind), for one lookup.
        guard let header = headers.first(where: { $0.name == .authorization })?.value else { return nil }
        let utf8 = header.utf8
        guard utf8.count > 7 else { return nil }
        let scheme = utf8.prefix(6)
        guard scheme.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }),
            utf8[utf8.index(utf8.startIndex, offsetBy: 6)] == UInt8(ascii: " ")
        else { return nil }
        let token = header[header.index(header.startIndex, offsetBy: 7)...].drop { $0 == " " }
        return token.isEmpty ? nil : token
    }
}
