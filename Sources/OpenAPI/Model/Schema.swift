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
    /// The `$ref` of this schema; 3.1 allows keywords beside it, which then narrow the target.
    public internal(set) var ref: Reference?

    /// `nil` when the schema does not say; 3.1 type arrays keep every member, `null` included.
    public internal(set) var types: [JSONType]?
    /// 3.0's `nullable: true`.
    public internal(set) var nullable = false
    public internal(set) var format: String?
    public internal(set) var title: String?
    public internal(set) var description: String?
    public internal(set) var enumValues: [JSONValue]?

    public internal(set) var properties = OrderedMap<Schema>()
    public internal(set) var required: [String] = []
    public internal(set) var additionalProperties: AdditionalProperties?

    public internal(set) var items: Schema?

    public internal(set) var allOf: [Schema]?
    public internal(set) var oneOf: [Schema]?
    public internal(set) var anyOf: [Schema]?

    public internal(set) var maxLength: Int?

    public internal(set) var extensions = Extensions()

    /// The keywords most schemas leave out, kept apart so a schema that uses none of them
    /// costs half the memory: a large description holds tens of thousands of schemas.
    final class Details {
        var booleanValue: Bool?
        var defaultValue: JSONValue?
        var examples: [JSONValue] = []
        var constValue: JSONValue?
        var patternProperties = OrderedMap<Schema>()
        var propertyNames: Schema?
        var minProperties: Int?
        var maxProperties: Int?
        var prefixItems: [Schema]?
        var contains: Schema?
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false
        var not: Schema?
        var discriminator: Discriminator?
        var minLength: Int?
        var pattern: String?
        var contentEncoding: String?
        var contentMediaType: String?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var multipleOf: Double?
        var readOnly = false
        var writeOnly = false
        var deprecated = false
        var defs = OrderedMap<Schema>()
    }

    private var storedDetails: Details?

    /// The rare keywords, created the first time one is set.
    private var details: Details {
        if let storedDetails { return storedDetails }
        let created = Details()
        storedDetails = created
        return created
    }

    /// Whether any of the rare keywords below is set: a tool reading them all (`specgen diff`)
    /// skips them at once for the many schemas that use none.
    public var hasRareKeywords: Bool { storedDetails != nil }

    /// Present for `true`/`false` schemas (3.1); such a schema has no other keywords.
    public internal(set) var booleanValue: Bool? {
        get { storedDetails?.booleanValue }
        set { details.booleanValue = newValue }
    }

    public internal(set) var defaultValue: JSONValue? {
        get { storedDetails?.defaultValue }
        set { details.defaultValue = newValue }
    }

    public internal(set) var examples: [JSONValue] {
        get { storedDetails?.examples ?? [] }
        set { details.examples = newValue }
    }

    public internal(set) var constValue: JSONValue? {
        get { storedDetails?.constValue }
        set { details.constValue = newValue }
    }

    public internal(set) var patternProperties: OrderedMap<Schema> {
        get { storedDetails?.patternProperties ?? OrderedMap() }
        set { details.patternProperties = newValue }
    }

    public internal(set) var propertyNames: Schema? {
        get { storedDetails?.propertyNames }
        set { details.propertyNames = newValue }
    }

    public internal(set) var minProperties: Int? {
        get { storedDetails?.minProperties }
        set { details.minProperties = newValue }
    }

    public internal(set) var maxProperties: Int? {
        get { storedDetails?.maxProperties }
        set { details.maxProperties = newValue }
    }

    public internal(set) var prefixItems: [Schema]? {
        get { storedDetails?.prefixItems }
        set { details.prefixItems = newValue }
    }

    public internal(set) var contains: Schema? {
        get { storedDetails?.contains }
        set { details.contains = newValue }
    }

    public internal(set) var minItems: Int? {
        get { storedDetails?.minItems }
        set { details.minItems = newValue }
    }

    public internal(set) var maxItems: Int? {
        get { storedDetails?.maxItems }
        set { details.maxItems = newValue }
    }

    public internal(set) var uniqueItems: Bool {
        get { storedDetails?.uniqueItems ?? false }
        set { details.uniqueItems = newValue }
    }

    public internal(set) var not: Schema? {
        get { storedDetails?.not }
        set { details.not = newValue }
    }

    public internal(set) var discriminator: Discriminator? {
        get { storedDetails?.discriminator }
        set { details.discriminator = newValue }
    }

    public internal(set) var minLength: Int? {
        get { storedDetails?.minLength }
        set { details.minLength = newValue }
    }

    public internal(set) var pattern: String? {
        get { storedDetails?.pattern }
        set { details.pattern = newValue }
    }

    public internal(set) var contentEncoding: String? {
        get { storedDetails?.contentEncoding }
        set { details.contentEncoding = newValue }
    }

    public internal(set) var contentMediaType: String? {
        get { storedDetails?.contentMediaType }
        set { details.contentMediaType = newValue }
    }

    public internal(set) var minimum: Double? {
        get { storedDetails?.minimum }
        set { details.minimum = newValue }
    }

    public internal(set) var maximum: Double? {
        get { storedDetails?.maximum }
        set { details.maximum = newValue }
    }

    /// Normalised to 3.1's numeric form: the bound itself, exclusive.
    public internal(set) var exclusiveMinimum: Double? {
        get { storedDetails?.exclusiveMinimum }
        set { details.exclusiveMinimum = newValue }
    }

    public internal(set) var exclusiveMaximum: Double? {
        get { storedDetails?.exclusiveMaximum }
        set { details.exclusiveMaximum = newValue }
    }

    public internal(set) var multipleOf: Double? {
        get { storedDetails?.multipleOf }
        set { details.multipleOf = newValue }
    }

    public internal(set) var readOnly: Bool {
        get { storedDetails?.readOnly ?? false }
        set { details.readOnly = newValue }
    }

    public internal(set) var writeOnly: Bool {
        get { storedDetails?.writeOnly ?? false }
        set { details.writeOnly = newValue }
    }

    public internal(set) var deprecated: Bool {
        get { storedDetails?.deprecated ?? false }
        set { details.deprecated = newValue }
    }

    public internal(set) var defs: OrderedMap<Schema> {
        get { storedDetails?.defs ?? OrderedMap() }
        set { details.defs = newValue }
    }

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
