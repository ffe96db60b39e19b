import OpenAPI

/// Turns names from the document into identifiers valid in Swift and TypeScript.
/// The rules are the same on every run, so a spec always gives the same names.
public enum Naming {
    /// `item_public` → `ItemPublic`, `2fa-code` → `_2faCode`, `user.name` → `UserName`.
    public static func typeName(_ raw: String) -> String {
        // The words joined, each starting in upper case; one pass over the bytes, as every
        // property of a large document asks for a name (see `words`).
        var name: [UInt8] = []
        name.reserveCapacity(raw.utf8.count + 1)
        var atWordStart = true
        for byte in raw.utf8 {
            guard isWordByte(byte) else {
                atWordStart = true
                continue
            }
            name.append(atWordStart && isLower(byte) ? byte - 0x20 : byte)
            atWordStart = false
        }
        if name.isEmpty { return "Value" }
        if isDigit(name[0]) { name.insert(UInt8(ascii: "_"), at: 0) }
        return String(decoding: name, as: UTF8.self)
    }

    /// `owner_id` → `ownerId`, `X-Request-ID` → `xRequestID`, `$ref` → `ref`.
    public static func memberName(_ raw: String) -> String {
        var name: [UInt8] = []
        name.reserveCapacity(raw.utf8.count + 1)
        var atWordStart = true
        // The first word ends at a separator or where a capital follows a lower-case letter or a digit.
        var firstWordEnd: Int?
        var previousWasLower = false
        for byte in raw.utf8 {
            guard isWordByte(byte) else {
                if !name.isEmpty, firstWordEnd == nil { firstWordEnd = name.count }
                atWordStart = true
                previousWasLower = false
                continue
            }
            if isUpper(byte), previousWasLower, firstWordEnd == nil { firstWordEnd = name.count }
            name.append(atWordStart && isLower(byte) && firstWordEnd != nil ? byte - 0x20 : byte)
            atWordStart = false
            previousWasLower = isLower(byte) || isDigit(byte)
        }
        if name.isEmpty { return "value" }
        // Lowercases the first word's leading run of capitals (`URLPath` → `urlPath`, `ID` → `id`).
        let end = firstWordEnd ?? name.count
        var upperRun = 0
        while upperRun < end, isUpper(name[upperRun]) { upperRun += 1 }
        let lowered = upperRun <= 1 || upperRun == end ? upperRun : upperRun - 1
        for index in 0..<lowered { name[index] += 0x20 }
        if isDigit(name[0]) { name.insert(UInt8(ascii: "_"), at: 0) }
        return String(decoding: name, as: UTF8.self)
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    /// Letters and digits make words; anything else (non-ASCII included) separates them.
    private static func isWordByte(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) || isDigit(byte) }

    /// A name not yet in `taken`, by appending 2, 3, … in order; records it as taken.
    public static func unique(_ base: String, in taken: inout Set<String>) -> String {
        if taken.insert(base).inserted { return base }
        var counter = 2
        while !taken.insert("\(base)\(counter)").inserted { counter += 1 }
        return "\(base)\(counter)"
    }

    /// The case name for a response status, as Swift's HTTP types name them.
    public static func responseCaseName(_ key: ResponseKey) -> String {
        switch key {
        case .code(let code): return statusNames[code] ?? "status\(code)"
        case .range(let range):
            return ["1": "informational", "2": "success", "3": "redirection", "4": "clientError", "5": "serverError"][
                String(range)] ?? "range\(range)XX"
        case .default: return "default"
        }
    }

    static let statusNames: [Int: String] = [
        100: "continue", 101: "switchingProtocols", 200: "ok", 201: "created", 202: "accepted",
        203: "nonAuthoritativeInformation", 204: "noContent", 205: "resetContent", 206: "partialContent",
        207: "multiStatus", 300: "multipleChoices", 301: "movedPermanently", 302: "found", 303: "seeOther",
        304: "notModified", 307: "temporaryRedirect", 308: "permanentRedirect", 400: "badRequest",
        401: "unauthorized", 402: "paymentRequired", 403: "forbidden", 404: "notFound", 405: "methodNotAllowed",
        406: "notAcceptable", 407: "proxyAuthenticationRequired", 408: "requestTimeout", 409: "conflict",
        410: "gone", 411: "lengthRequired", 412: "preconditionFailed", 413: "contentTooLarge",
        414: "uriTooLong", 415: "unsupportedMediaType", 416: "rangeNotSatisfiable", 417: "expectationFailed",
        418: "imATeapot", 421: "misdirectedRequest", 422: "unprocessableContent", 423: "locked",
        424: "failedDependency", 425: "tooEarly", 426: "upgradeRequired", 428: "preconditionRequired",
        429: "tooManyRequests", 431: "requestHeaderFieldsTooLarge", 451: "unavailableForLegalReasons",
        500: "internalServerError", 501: "notImplemented", 502: "badGateway", 503: "serviceUnavailable",
        504: "gatewayTimeout", 505: "httpVersionNotSupported", 507: "insufficientStorage",
        511: "networkAuthenticationRequired",
    ]
}
