/// A JSON object whose members keep the order they were written in.
///
/// Request bodies have a handful of members, so a flat array searched linearly beats a hash
/// table and keeps the client's order for error reports. Duplicate keys are kept; lookups return
/// the last one, as Python's `json` module and Starlette's form parser do.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        @inlinable
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var members: [Member]
    /// Set when the object came from a form (urlencoded or multipart) rather than JSON: every
    /// value is then a string, a key may repeat to carry a list, and a single value stands for a
    /// one-element list, as FastAPI reads forms.
    public var isForm: Bool

    @inlinable
    public init(_ members: [Member] = [], isForm: Bool = false) {
        self.members = members
        self.isForm = isForm
    }

    @inlinable public var startIndex: Int { self.members.startIndex }
    @inlinable public var endIndex: Int { self.members.endIndex }
    @inlinable public subscript(position: Int) -> Member { self.members[position] }

    /// The value of the last member called `key`.
    @inlinable
    public subscript(key: String) -> JSONValue? {
        get {
            var index = self.members.endIndex
            while index > self.members.startIndex {
                index -= 1
                if self.members[index].key == key { return self.members[index].value }
            }
            return nil
        }
        set {
            if let index = self.members.lastIndex(where: { $0.key == key }) {
                if let newValue {
                    self.members[index].value = newValue
                } else {
                    self.members.remove(at: index)
                }
            } else if let newValue {
                self.members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Every value stored under `key`, in order (form fields that repeat).
    @inlinable
    public func values(forKey key: String) -> [JSONValue] {
        self.members.compactMap { $0.key == key ? $0.value : nil }
    }

    @inlinable
    public mutating func append(_ key: String, _ value: JSONValue) {
        self.members.append(Member(key: key, value: value))
    }

    // Equality ignores `isForm`: it says where the members came from, not what they are.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members == rhs.members
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.members)
    }
}

extension JSONObject: Codable {
    public init(from decoder: any Decoder) throws {
        guard case .object(let object) = try JSONValue(from: decoder) else {
            throw DecodingError.typeMismatch(
                JSONObject.self,
                .init(codingPath: decoder.codingPath, debugDescription: "Expected a JSON object")
            )
        }
        self = object
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for member in self.members {
            try container.encode(member.value, forKey: AnyCodingKey(member.key))
        }
    }
}

/// A coding key made from any string, for free-form objects.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}
