import OpenAPI

/// A schema as the comparison reads it: references followed, `allOf` members merged into one
/// set of properties and keywords, the `null` branch of a `oneOf`/`anyOf` left out and a union
/// left with one other branch read as that branch. Two documents that say the same thing in
/// different shapes (a schema moved into `components`, split into `allOf` parts) give the same
/// view. Whether `null` is accepted is not the view's to say: it belongs to each use of a
/// schema, and the model decides it (`SchemaRules.acceptsNull`).
struct SchemaView {
    /// The schema the view starts from, references followed: its identity keys the comparison.
    var schema: Schema
    /// The declared types without `null`; nil when any type is allowed.
    var types: TypeSet?
    var format: String?
    /// The allowed values without `null` (`const` is a one-value enum).
    var enumValues: [JSONValue]?
    var isOpenEnum = false
    var properties = OrderedMap<Schema>()
    var required: [String] = []
    var additionalProperties: Schema.AdditionalProperties?
    var items: Schema?
    var variants: [Schema]?
    var variantsAreAnyOf = false
    var discriminator: Schema.Discriminator?
    var minLength: Int?
    var maxLength: Int?
    var pattern: String?
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?
    var minItems: Int?
    var maxItems: Int?
    var minProperties: Int?
    var maxProperties: Int?
    var uniqueItems = false
    var readOnly = false
    var writeOnly = false
    var deprecated = false
    var defaultValue: JSONValue?

    var location: SourceLocation { schema.location }

    /// `resolved`: a schema with references already followed (`ReferenceTable.resolve`).
    init(resolved: Schema, references: ReferenceTable) {
        schema = resolved
        var seen: [ObjectIdentifier] = []
        merge(resolved, references: references, seen: &seen, depth: 0)
        // Without `allOf` the model's parts are the schema's own keywords, which the view took as
        // they are; collecting them again cost large documents 5% of the comparison.
        if resolved.allOf != nil { takeObjectParts(of: resolved, references: references) }
        // A schema that names no type stands for the one the generated types give it (the
        // model's rule, asked with what the members say together): leaving `type` out is no change.
        if types == nil, variants == nil,
            let implied = SchemaRules.impliedType(
                hasProperties: !properties.isEmpty, hasItems: items != nil, hasAdditionalProperties: additionalProperties != nil,
                format: format, pattern: pattern, maxLength: maxLength)
        {
            types = TypeSet([implied])
        }
    }

    /// An object's properties, `required` and `additionalProperties` as the model merges them
    /// (`ObjectParts`: `allOf` members before the schema's own, later properties winning), then
    /// those the view took from a lone branch of a union beside them (`anyOf: [X, null]` is read
    /// as X), which the model keeps apart as a composition.
    private mutating func takeObjectParts(of schema: Schema, references: ReferenceTable) {
        let parts = ObjectParts(schema, references: references)
        var merged = OrderedMap<Schema>()
        for (name, property) in parts.properties { merged[name] = property }
        for (name, property) in properties where merged[name] == nil { merged[name] = property }
        properties = merged
        required = parts.required.sorted() + required.filter { !parts.required.contains($0) }
        if parts.closed {
            additionalProperties = .allowed(false)
        } else if let last = parts.additionalSchemas.last {
            additionalProperties = .schema(last)
        } else if parts.declaresOpen {
            additionalProperties = .allowed(true)
        }
    }

    /// Adds what `schema` says: its own keywords where the view says nothing yet, its
    /// properties and required names to the view's, its `allOf` members (and a `$ref` beside
    /// other keywords, which 3.1 allows) the same way.
    private mutating func merge(_ raw: Schema, references: ReferenceTable, seen: inout [ObjectIdentifier], depth: Int) {
        let schema = depth == 0 ? raw : references.resolve(raw)
        let identity = ObjectIdentifier(schema)
        guard depth < 32, !seen.contains(identity) else { return }
        seen.append(identity)
        // The rare keywords live apart in the schema; most schemas have none of them.
        let rare = schema.hasRareKeywords
        if rare, let booleanValue = schema.booleanValue, !booleanValue { types = [] }
        if let declared = schema.types {
            let own = TypeSet(declared)
            types = types.map { $0.intersection(own) } ?? own
        }
        format = format ?? schema.format
        if enumValues == nil, let values = schema.enumValues ?? (rare ? schema.constValue.map { [$0] } : nil) {
            enumValues = values.contains(.null) ? values.filter { $0 != .null } : values
            if schema.extensions["x-enum-open"] == .bool(true) { isOpenEnum = true }
        }
        if properties.isEmpty {
            properties = schema.properties
        } else {
            for (name, property) in schema.properties where properties[name] == nil { properties[name] = property }
        }
        if required.isEmpty {
            required = schema.required
        } else {
            required += schema.required.filter { !required.contains($0) }
        }
        additionalProperties = additionalProperties ?? schema.additionalProperties
        items = items ?? schema.items
        maxLength = maxLength ?? schema.maxLength
        if rare {
            discriminator = discriminator ?? schema.discriminator
            minLength = minLength ?? schema.minLength
            pattern = pattern ?? schema.pattern
            minimum = minimum ?? schema.minimum
            maximum = maximum ?? schema.maximum
            exclusiveMinimum = exclusiveMinimum ?? schema.exclusiveMinimum
            exclusiveMaximum = exclusiveMaximum ?? schema.exclusiveMaximum
            multipleOf = multipleOf ?? schema.multipleOf
            minItems = minItems ?? schema.minItems
            maxItems = maxItems ?? schema.maxItems
            minProperties = minProperties ?? schema.minProperties
            maxProperties = maxProperties ?? schema.maxProperties
            uniqueItems = uniqueItems || schema.uniqueItems
            readOnly = readOnly || schema.readOnly
            writeOnly = writeOnly || schema.writeOnly
            deprecated = deprecated || schema.deprecated
            defaultValue = defaultValue ?? schema.defaultValue
        }

        if let union = schema.oneOf ?? schema.anyOf {
            var others: [Schema] = []
            for variant in union {
                if !SchemaRules.isNullSchema(references.resolve(variant)) { others.append(variant) }
            }
            if others.count == 1 {
                merge(others[0], references: references, seen: &seen, depth: depth + 1)
            } else if variants == nil {
                variants = others
                variantsAreAnyOf = schema.oneOf == nil
            }
        }
        if let ref = schema.ref, let target = references.schema(ref) {
            merge(target, references: references, seen: &seen, depth: depth + 1)
        }
        for member in schema.allOf ?? [] {
            merge(member, references: references, seen: &seen, depth: depth + 1)
        }
    }

    /// Whether a writer of this flow must send the property (`resolved`, its schema with
    /// references followed): a read-only one is never in a request, a write-only one never in
    /// a response.
    func effectivelyRequired(_ name: String, resolved: Schema, flow: DataFlow) -> Bool {
        guard required.contains(name) else { return false }
        switch flow {
        case .toServer: return !resolved.readOnly
        case .toClient: return !resolved.writeOnly
        }
    }

    /// The types as words: `string`, `integer | null`, `any`.
    var typeDescription: String {
        var words = types?.names ?? ["any"]
        if words.isEmpty { words = ["nothing"] }
        if let format { words[0] += " (\(format))" }
        return words.joined(separator: " | ")
    }
}
