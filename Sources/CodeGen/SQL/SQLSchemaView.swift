import OpenAPI

/// What a schema says once `$ref`s are followed and `allOf` members merged: the one view
/// the table builder needs of a table schema or of one of its properties.
///
/// Later parts win over earlier ones: the `$ref` target first, then the `allOf` members in
/// order, then the schema's own keywords, so `allOf: [$ref: Base]` plus `nullable: true`
/// (OpenAPI 3.0's spelling of a nullable reference) reads as Base, nullable.
struct SQLSchemaView {
    /// The declared types without `null`; `nil` when no part says.
    var types: [Schema.JSONType]?
    var isNullable = false
    var format: String?
    var maxLength: Int?
    /// Numeric bounds (3.0's boolean `exclusiveMinimum` already folded in by the decoder).
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var enumValues: [JSONValue]?
    var items: Schema?
    /// Every schema that contributes to a property, in merge order.
    var properties = OrderedMap<[Schema]>()
    var required: Set<String> = []
    /// `oneOf`/`anyOf` between real alternatives, `additionalProperties` and the like:
    /// nothing a scalar column can hold.
    var isComposite = false
    /// `x-` extensions, later parts overriding earlier ones. Table-level keys are left out:
    /// a property that refers to a table schema does not become a table.
    var extensions = Extensions()
    var location: SourceLocation

    /// Table-level extensions, read from a component's own keywords only.
    static let tableKeys: Set<String> = ["x-db-table", "x-db-indexes"]
    /// Deep enough for any real composition; cycles stop at the first repeat anyway.
    private static let maxDepth = 32

    init(_ schemas: [Schema], references: ReferenceTable) {
        location = schemas.last?.location ?? SourceLocation(file: "", line: 1, column: 1)
        var visiting: Set<ObjectIdentifier> = []
        for schema in schemas { merge(schema, references, &visiting, depth: 0) }
    }

    init(_ schema: Schema, references: ReferenceTable) {
        self.init([schema], references: references)
    }

    private mutating func merge(
        _ schema: Schema, _ references: ReferenceTable, _ visiting: inout Set<ObjectIdentifier>, depth: Int
    ) {
        let id = ObjectIdentifier(schema)
        guard depth < Self.maxDepth, visiting.insert(id).inserted else { return }
        defer { visiting.remove(id) }
        // `true` allows anything and adds nothing; `false` allows nothing, which no column models.
        if let allowed = schema.booleanValue {
            if !allowed { isComposite = true }
            return
        }
        if let ref = schema.ref, let target = references.schema(ref) {
            merge(target, references, &visiting, depth: depth + 1)
        }
        for member in schema.allOf ?? [] { merge(member, references, &visiting, depth: depth + 1) }
        for group in [schema.oneOf, schema.anyOf].compactMap({ $0 }) {
            // `oneOf: [X, {type: null}]` is 3.1's nullable X; more alternatives are a union.
            let alternatives = group.filter { !Self.isNullOnly($0, references) }
            if alternatives.count == 1 {
                merge(alternatives[0], references, &visiting, depth: depth + 1)
                if alternatives.count < group.count { isNullable = true }
            } else if !alternatives.isEmpty {
                isComposite = true
            }
        }
        if let declared = schema.types {
            types = declared.filter { $0 != .null }
            isNullable = declared.contains(.null)
        }
        if schema.nullable { isNullable = true }
        if let format = schema.format { self.format = format }
        if let maxLength = schema.maxLength { self.maxLength = maxLength }
        if let minimum = schema.minimum { self.minimum = minimum }
        if let maximum = schema.maximum { self.maximum = maximum }
        if let bound = schema.exclusiveMinimum { exclusiveMinimum = bound }
        if let bound = schema.exclusiveMaximum { exclusiveMaximum = bound }
        if let values = schema.enumValues {
            enumValues = values
            if values.contains(.null) { isNullable = true }
        }
        if let items = schema.items { self.items = items }
        if schema.prefixItems != nil || schema.not != nil || !schema.patternProperties.isEmpty {
            isComposite = true
        }
        switch schema.additionalProperties {
        case .schema?, .allowed(true)?: isComposite = true
        case .allowed(false)?, nil: break
        }
        for (name, property) in schema.properties {
            properties[name] = (properties[name] ?? []) + [property]
        }
        required.formUnion(schema.required)
        for (key, value) in schema.extensions where !Self.tableKeys.contains(key) {
            extensions[key] = value
        }
    }

    /// `{type: null}`, or a reference to it.
    private static func isNullOnly(_ schema: Schema, _ references: ReferenceTable) -> Bool {
        let resolved = references.resolve(schema)
        if let types = resolved.types { return types == [.null] }
        return resolved.enumValues == [.null]
    }
}
