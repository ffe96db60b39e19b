/// One step of a validation error's `loc`: a member name or an array index.
///
/// FastAPI writes `loc` as a JSON array of strings and integers, e.g. `["body", "tags", 2]`.
public enum LocationSegment: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    public init(stringLiteral value: String) { self = .key(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    var jsonValue: JSONValue {
        switch self {
        case .key(let key): return .string(key)
        case .index(let index): return .integer(index)
        }
    }
}

extension LocationSegment: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let index = try? container.decode(Int.self) {
            self = .index(index)
        } else {
            self = .key(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .key(let key): try container.encode(key)
        case .index(let index): try container.encode(index)
        }
    }
}
