import OpenAPI

/// Turns names from the document into identifiers valid in Swift and TypeScript.
/// The rules are the same on every run, so a spec always gives the same names.
public enum Naming {
    /// `item_public` → `ItemPublic`, `2fa-code` → `_2faCode`, `user.name` → `UserName`.
    public static func typeName(_ raw: String) -> String {
        let words = self.words(raw)
        var name = words.map(capitalized).joined()
        if name.isEmpty { name = "Value" }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "_" + name }
        return name
    }

    /// `owner_id` → `ownerId`, `X-Request-ID` → `xRequestID`, `$ref` → `ref`.
    public static func memberName(_ raw: String) -> String {
        let words = self.words(raw)
        guard let first = words.first else { return "value" }
        var name = lowercasedFirst(first) + words.dropFirst().map(capitalized).joined()
        if let scalar = name.unicodeScalars.first, ("0"..."9").contains(scalar) { name = "_" + name }
        return name
    }

    /// A name not yet in `taken`, by appending 2, 3, … in order; records it as taken.
    public static func unique(_ base: String, in taken: inout Set<String>) -> String {
        if taken.insert(base).inserted { return base }
        var counter = 2
        while !taken.insert("\(base)\(counter)").inserted { counter += 1 }
        return "\(base)\(counter)"
    }

    /// Splits on anything that is not a letter or digit, and keeps existing camel humps.
    static func words(_ raw: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for scalar in raw.unicodeScalars {
            let isAlnum = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            guard isAlnum, scalar.isASCII else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            let isUpper = ("A"..."Z").contains(scalar)
            if isUpper && previousWasLower && !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
            previousWasLower = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }

    /// Lowercases a leading run of capitals (`URLPath` → `urlPath`, `ID` → `id`).
    private static func lowercasedFirst(_ word: String) -> String {
        let scalars = Array(word.unicodeScalars)
        var upperRun = 0
        while upperRun < scalars.count, ("A"..."Z").contains(scalars[upperRun]) { upperRun += 1 }
        if upperRun == 0 { return word }
        if upperRun == scalars.count { return word.lowercased() }
        let lowered = upperRun == 1 ? 1 : upperRun - 1
        return String(String.UnicodeScalarView(scalars[..<lowered])).lowercased()
            + String(String.UnicodeScalarView(scalars[lowered...]))
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
