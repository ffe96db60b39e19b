import OpenAPI

/// The JSON Schema readings that depend on nothing but the schema and the document's
/// references: when `null` is a value, when a schema says nothing, when it needs a declaration
/// of its own, what it constrains. The model builder decides with them; every emitter, and
/// `specgen diff`, reads the model it built rather than deciding again.
enum SchemaRules {
    /// `{type: 'null'}` or `{enum: [null]}`: the branch of a union that only adds `null`.
    static func isNullSchema(_ schema: Schema) -> Bool {
        schema.types == [.null] || (schema.enumValues == [.null])
    }

    /// Whether `null` is a valid instance: spelled on the schema itself (3.0 `nullable`, a 3.1
    /// type array, an `enum` member), as a `null` branch of `anyOf`/`oneOf`, or by the schema a
    /// `$ref` names. Named types are declared without their `null`; each use carries it, so a
    /// nullable component used in a hundred places is optional in each of them.
    static func acceptsNull(_ schema: Schema, references: ReferenceTable, depth: Int = 0) -> Bool {
        guard depth < 32 else { return false }
        if schema.isNullable { return true }
        // A `type` without `null` excludes it, whatever the alternatives say (`type: object`
        // beside `oneOf` of nullable components is never null).
        if let types = schema.types, !types.isEmpty, !types.contains(.null) { return false }
        if let ref = schema.ref, let target = references.schemas[ref.key], target !== schema {
            if acceptsNull(target, references: references, depth: depth + 1) { return true }
        }
        if let alternatives = schema.anyOf ?? schema.oneOf, schema.properties.isEmpty {
            return alternatives.contains { isNullSchema($0) || acceptsNull($0, references: references, depth: depth + 1) }
        }
        // `allOf`: null must pass every member; one of annotations alone passes anything (box's
        // `allOf: [{$ref: File--Mini}, {description: …}]` of a nullable component is nullable).
        if let members = schema.allOf, !members.isEmpty, schema.properties.isEmpty {
            return members.allSatisfy { isAnnotationOnly($0) || acceptsNull($0, references: references, depth: depth + 1) }
        }
        return false
    }

    /// A schema that says nothing about the value (`{description: …}`): an `allOf` member of
    /// that kind adds no type and no constraint.
    static func isAnnotationOnly(_ schema: Schema) -> Bool {
        schema.ref == nil && schema.types == nil && schema.properties.isEmpty && schema.allOf == nil
            && schema.oneOf == nil && schema.anyOf == nil && schema.enumValues == nil && schema.constValue == nil
            && schema.additionalProperties == nil && schema.items == nil && schema.prefixItems == nil && !schema.nullable
            && constraints(schema).isEmpty && schema.booleanValue == nil
    }

    /// Objects, enums and unions get a declaration; arrays and primitives are written in place.
    static func needsDeclaration(_ schema: Schema) -> Bool {
        if !schema.properties.isEmpty || schema.allOf != nil || schema.oneOf != nil || schema.anyOf != nil {
            return true
        }
        if let values = schema.enumValues, !values.isEmpty {
            let nonNull = values.filter { $0 != .null }
            return nonNull.allSatisfy { $0.stringValue != nil } || nonNull.allSatisfy { if case .integer = $0 { true } else { false } }
        }
        if isMultiType(schema) { return true }
        // An object with no properties is a free-form map, unless extra keys are forbidden.
        if case .allowed(false)? = schema.additionalProperties { return true }
        return false
    }

    /// A 3.1 type array with several non-null members (`type: [string, integer]`): a union of
    /// one variant per type. With an `enum` or `const` the values decide instead.
    static func isMultiType(_ schema: Schema) -> Bool {
        schema.nonNullTypes.count > 1 && schema.enumValues == nil && schema.constValue == nil
            && schema.oneOf == nil && schema.anyOf == nil
    }

    /// The JSON type a schema that names none stands for, as the generated types read it:
    /// properties make an object, items an array, `additionalProperties` an object, a string
    /// keyword (`format`, `pattern`, `maxLength`) a string; nil is any value. The facts are
    /// passed one by one so a reader that merged `allOf` members first asks the same rule.
    static func impliedType(
        hasProperties: Bool, hasItems: Bool, hasAdditionalProperties: Bool, format: String?, pattern: String?, maxLength: Int?
    ) -> Schema.JSONType? {
        if hasProperties { return .object }
        if hasItems { return .array }
        if hasAdditionalProperties { return .object }
        if format != nil || pattern != nil || maxLength != nil { return .string }
        return nil
    }

    static func impliedType(_ schema: Schema) -> Schema.JSONType? {
        impliedType(
            hasProperties: !schema.properties.isEmpty, hasItems: schema.items != nil || schema.prefixItems != nil,
            hasAdditionalProperties: schema.additionalProperties != nil, format: schema.format, pattern: schema.pattern,
            maxLength: schema.maxLength)
    }

    /// What the schema itself constrains (not its members or its `$ref`'s target).
    static func constraints(_ schema: Schema) -> Constraints {
        var result = Constraints()
        result.minLength = schema.minLength
        result.maxLength = schema.maxLength
        result.pattern = schema.pattern
        result.format = schema.format
        result.minimum = schema.minimum
        result.maximum = schema.maximum
        result.exclusiveMinimum = schema.exclusiveMinimum
        result.exclusiveMaximum = schema.exclusiveMaximum
        result.multipleOf = schema.multipleOf
        result.minItems = schema.minItems
        result.maxItems = schema.maxItems
        result.uniqueItems = schema.uniqueItems
        result.minProperties = schema.minProperties
        result.maxProperties = schema.maxProperties
        if let values = schema.enumValues, !needsDeclaration(schema) {
            result.literals = values.filter { $0 != .null }
            result.allowedValues = values.filter { $0 != .null }.map { value in
                if case .string(let text) = value { return text }
                return value.jsonText
            }
        }
        if let constant = schema.constValue {
            result.literals = [constant]
            result.allowedValues = [constant.stringValue ?? constant.jsonText]
        }
        return result
    }
}
