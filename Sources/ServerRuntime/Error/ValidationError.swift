/// One entry of FastAPI's 422 body: `{"type", "loc", "msg", "input", "ctx"?}` (pydantic v2).
public struct ValidationError: Sendable, Hashable {
    public var type: String
    public var loc: [LocationSegment]
    public var msg: String
    public var input: JSONValue
    public var ctx: JSONObject?

    public init(type: String, loc: [LocationSegment], msg: String, input: JSONValue = .null, ctx: JSONObject? = nil) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
        self.ctx = ctx
    }

    public init(_ issue: ValidationIssue, at path: ValidationPath, input: JSONValue) {
        self.init(type: issue.type, loc: path.segments, msg: issue.message, input: input, ctx: issue.context)
    }

    /// The entry as a JSON object, members in FastAPI's order.
    public var jsonValue: JSONValue {
        var object = JSONObject([
            .init(key: "type", value: .string(self.type)),
            .init(key: "loc", value: .array(self.loc.map(\.jsonValue))),
            .init(key: "msg", value: .string(self.msg)),
            .init(key: "input", value: self.input),
        ])
        if let ctx { object.append("ctx", .object(ctx)) }
        return .object(object)
    }
}

extension ValidationError: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, loc, msg, input, ctx
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decode(String.self, forKey: .type)
        self.loc = try container.decode([LocationSegment].self, forKey: .loc)
        self.msg = try container.decode(String.self, forKey: .msg)
        self.input = try container.decodeIfPresent(JSONValue.self, forKey: .input) ?? .null
        self.ctx = try container.decodeIfPresent(JSONObject.self, forKey: .ctx)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.type, forKey: .type)
        try container.encode(self.loc, forKey: .loc)
        try container.encode(self.msg, forKey: .msg)
        try container.encode(self.input, forKey: .input)
        try container.encodeIfPresent(self.ctx, forKey: .ctx)
    }
}
