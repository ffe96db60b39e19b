public struct RequestBody: Sendable {
    public var description: String?
    public var content = OrderedMap<MediaType>()
    public var required = false
    public var extensions = Extensions()
    public var location: SourceLocation
}

public struct MediaType: Sendable {
    public var schema: Schema?
    /// 3.2's schema for each item of a sequential media type (JSON Lines, server-sent events).
    public var itemSchema: Schema?
    public var example: JSONValue?
    public var examples = OrderedMap<Referenceable<Example>>()
    public var encoding = OrderedMap<Encoding>()
    public var extensions = Extensions()
    public var location: SourceLocation
}

public struct Encoding: Sendable {
    public var contentType: String?
    public var headers = OrderedMap<Referenceable<Header>>()
    public var style: ParameterStyle?
    public var explode: Bool?
    public var allowReserved = false
}

/// The key of a response: a status code, a range such as `2XX`, or `default`.
public enum ResponseKey: Hashable, Sendable, Comparable {
    case code(Int)
    case range(Int)
    case `default`

    public init?(_ text: String) {
        if text == "default" {
            self = .default
        } else if text.count == 3, let first = text.first?.wholeNumberValue, (1...5).contains(first),
            text.dropFirst().uppercased() == "XX"
        {
            self = .range(first)
        } else if text.count == 3, let code = Int(text), (100...599).contains(code) {
            self = .code(code)
        } else {
            return nil
        }
    }

    public var isSuccess: Bool {
        switch self {
        case .code(let code): (200..<300).contains(code)
        case .range(let range): range == 2
        case .default: false
        }
    }

    public static func < (lhs: ResponseKey, rhs: ResponseKey) -> Bool {
        func rank(_ key: ResponseKey) -> (Int, Int) {
            switch key {
            case .code(let code): (code, 0)
            case .range(let range): (range * 100 + 99, 1)
            case .default: (1000, 2)
            }
        }
        return rank(lhs) < rank(rhs)
    }
}

public struct Response: Sendable {
    public var description: String?
    public var headers = OrderedMap<Referenceable<Header>>()
    public var content = OrderedMap<MediaType>()
    public var links = OrderedMap<Referenceable<Link>>()
    public var extensions = Extensions()
    public var location: SourceLocation
}

public struct Example: Sendable {
    public var summary: String?
    public var description: String?
    public var value: JSONValue?
    public var externalValue: String?
}

public struct Link: Sendable {
    public var operationRef: String?
    public var operationId: String?
    public var parameters = OrderedMap<JSONValue>()
    public var requestBody: JSONValue?
    public var description: String?
    public var server: Server?
}
