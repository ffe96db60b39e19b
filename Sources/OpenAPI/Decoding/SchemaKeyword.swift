/// The keywords of a schema object, by spelling.
enum SchemaKeyword: Sendable {
    case ref, type, nullable, format, title, description, defaultValue, examples, example
    case enumValues, constValue, properties, required, additionalProperties, patternProperties
    case propertyNames, minProperties, maxProperties, items, prefixItems, contains, minItems
    case maxItems, uniqueItems, allOf, oneOf, anyOf, not, discriminator, minLength, maxLength
    case pattern, contentEncoding, contentMediaType, minimum, maximum, exclusiveMinimum
    case exclusiveMaximum, multipleOf, readOnly, writeOnly, deprecated, defs
    /// Defined by JSON Schema or OpenAPI, and not kept by this model.
    case ignored

    static let table = KeywordTable<SchemaKeyword>(
        [
            ("$ref", .ref), ("type", .type), ("nullable", .nullable), ("format", .format), ("title", .title),
            ("description", .description), ("default", .defaultValue), ("examples", .examples),
            ("example", .example), ("enum", .enumValues), ("const", .constValue), ("properties", .properties),
            ("required", .required), ("additionalProperties", .additionalProperties),
            ("patternProperties", .patternProperties), ("propertyNames", .propertyNames),
            ("minProperties", .minProperties), ("maxProperties", .maxProperties), ("items", .items),
            ("prefixItems", .prefixItems), ("contains", .contains), ("minItems", .minItems),
            ("maxItems", .maxItems), ("uniqueItems", .uniqueItems), ("allOf", .allOf), ("oneOf", .oneOf),
            ("anyOf", .anyOf), ("not", .not), ("discriminator", .discriminator), ("minLength", .minLength),
            ("maxLength", .maxLength), ("pattern", .pattern), ("contentEncoding", .contentEncoding),
            ("contentMediaType", .contentMediaType), ("minimum", .minimum), ("maximum", .maximum),
            ("exclusiveMinimum", .exclusiveMinimum), ("exclusiveMaximum", .exclusiveMaximum),
            ("multipleOf", .multipleOf), ("readOnly", .readOnly), ("writeOnly", .writeOnly),
            ("deprecated", .deprecated), ("$defs", .defs),
        ]
            + [
                "$schema", "$id", "$anchor", "$comment", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
                "xml", "externalDocs", "if", "then", "else", "dependentSchemas", "dependentRequired",
                "unevaluatedProperties", "unevaluatedItems", "contentSchema", "minContains", "maxContains",
                "dependencies", "definitions", "additionalItems",
            ].map { ($0, SchemaKeyword.ignored) })
}
