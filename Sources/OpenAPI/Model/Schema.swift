/// A JSON Schema as OpenAPI 3.0 and 3.1 use it.
///
/// A class because schemas are recursive and shared: a component referenced from a hundred
/// places is decoded once. It is filled in by the loader and never changed afterwards, which
/// is what makes sharing it across tasks safe.
public final class Schema: @unchecked Sendable {
    public enum JSONType: String, Sendable, CaseIterable {
        case null, boolean, object, array, number, string, integer
    }

    /// 3.0 spelled exclusive bounds as booleans beside `minimum`/`maximum`; 3.1 as numbers.
    public enum AdditionalProperties: Sendable {
        case allowed(Bool)
        case schema(Schema)
    }

    public struct Discriminator: Sendable {
        public var propertyName: String
        /// Value on the wire → the schema it selects.
        public var mapping: OrderedMap<Reference>
        public var location: SourceLocation
    }

    public internal(set) var location: SourceLocation
    /// Present for `true`/`false` schemas (3.1); such a schema has no other keywords.
    public internal(set) var booleanValue: Bool?
    /// The `$ref` of this schema; 3.1 allows keywords beside it, which then narrow the target.
    public internal(set) var ref: Reference?

    /// `nil` when the schema does not say; 3.1 type arrays keep every member, `null` included.
    public internal(set) var types: [JSONType]?
    /// 3.0's `nullable: true`.
    public internal(set) var nullable = false
    public internal(set) var format: String?
    public internal(set) var title: String?
    public internal(set) var description: String?
    public internal(set) var defaultValue: JSONValue?
    public internal(set) var examples: [JSONValue] = []
    public internal(set) var enumValues: [JSONValue]?
    public internal(set) var constValue: JSONValue?

    public internal(set) var properties = OrderedMap<Schema>()
    public internal(set) var required: [String] = []
    public internal(set) var additionalProperties: AdditionalProperties?
    public internal(set) var patternProperties = OrderedMap<Schema>()
    public internal(set) var propertyNames: Schema?
    public internal(set) var minProperties: Int?
    public internal(set) var maxProperties: Int?

    public internal(set) var items: Schema?
    public internal(set) var prefixItems: [Schema]?
    public internal(set) var contains: Schema?
    public internal(set) var minItems: Int?
    public internal(set) var maxItems: Int?
    public internal(set) var uniqueItems = false

    public internal(set) var allOf: [Schema]?
    public internal(set) var oneOf: [Schema]?
    public internal(set) var anyOf: [Schema]?
    public internal(set) var not: Schema?
    public internal(set) var discriminator: Discriminator?

    public internal(set) var minLength: Int?
    public internal(set) var maxLength: Int?
    public internal(set) var pattern: String?
    public internal(set) var contentEncoding: String?
    public internal(set) var contentMediaType: String?

    public internal(set) var minimum: Double?
    public internal(set) var maximum: Double?
    /// Normalised to 3.1's numeric form: the bound itself, exclusive.
    public internal(set) var exclusiveMinimum: Double?
    public internal(set) var exclusiveMaximum: Double?
    public internal(set) var multipleOf: Double?

    public internal(set) var readOnly = false
    public internal(set) var writeOnly = false
    public internal(set) var deprecated = false
    public internal(set) var defs = OrderedMap<Schema>()
    public internal(set) var extensions = Extensions()

    init(location: SourceLocation) {
        self.location = location
    }

    /// True when `null` is an accepted value, in either version's spelling.
    public var isNullable: Bool {
        nullable || types?.contains(.null) == true
            || enumValues?.contains(.null) == true
    }

    /// The declared types without `null`.
    public var nonNullTypes: [JSONType] { (types ?? []).filter { $0 != .null } }

    /// A schema that is nothing but a `$ref`.
    public var isPureReference: Bool {
        ref != nil && types == nil && properties.isEmpty && allOf == nil && oneOf == nil && anyOf == nil
            && items == nil && enumValues == nil && !nullable
    }
}
