public enum ParameterLocation: String, Sendable, CaseIterable {
    case path, query, header, cookie
    /// OpenAPI 3.2: the whole query string as one value.
    case querystring
}

public enum ParameterStyle: String, Sendable, CaseIterable {
    case matrix, label, simple, form, spaceDelimited, pipeDelimited, deepObject, cookie

    /// The style a parameter has when it names none.
    public static func defaultStyle(for location: ParameterLocation) -> ParameterStyle {
        switch location {
        case .path, .header: .simple
        case .query, .cookie, .querystring: .form
        }
    }
}

public struct Parameter: Sendable {
    public var name: String
    public var location: ParameterLocation
    public var description: String?
    public var required = false
    public var deprecated = false
    public var allowEmptyValue = false
    public var style: ParameterStyle?
    public var explode: Bool?
    public var allowReserved = false
    public var schema: Schema?
    /// The alternative to `schema`: exactly one media type.
    public var content = OrderedMap<MediaType>()
    public var example: JSONValue?
    public var examples = OrderedMap<Referenceable<Example>>()
    public var extensions = Extensions()
    public var sourceLocation: SourceLocation

    public var effectiveStyle: ParameterStyle { style ?? .defaultStyle(for: location) }
    /// `form` explodes unless told otherwise; every other style does not.
    public var effectiveExplode: Bool { explode ?? (effectiveStyle == .form) }
}

/// A response header: a parameter without a name or place.
public struct Header: Sendable {
    public var description: String?
    public var required = false
    public var deprecated = false
    public var style: ParameterStyle?
    public var explode: Bool?
    public var schema: Schema?
    public var content = OrderedMap<MediaType>()
    public var example: JSONValue?
    public var examples = OrderedMap<Referenceable<Example>>()
    public var extensions = Extensions()
    public var location: SourceLocation
}
