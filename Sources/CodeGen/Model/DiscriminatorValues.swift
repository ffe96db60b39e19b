import OpenAPI

/// The wire values that select one variant of a discriminated union, decided in one place for
/// every emitter (the Swift decoder, the server's validator and the TypeScript literal types):
///
/// 1. the values the discriminator's explicit `mapping` gives the variant;
/// 2. else the variant's own single value of the discriminator property (`const: cat` or a
///    one-value `enum: [cat]`, also through `allOf`), which is what real payloads carry;
/// 3. else the referenced schema's name, OpenAPI's implicit mapping.
///
/// An inline variant with neither has no value; the model builder warns about it.
enum DiscriminatorValues {
    static func values(
        for variant: Schema, discriminator: Schema.Discriminator, references: ReferenceTable
    ) -> [String] {
        if let ref = variant.ref {
            let target = references.schema(ref)
            var mapped: [String] = []
            for (value, mappedRef) in zip(discriminator.mapping.keys, discriminator.mapping.values) {
                if mappedRef.key == ref.key {
                    mapped.append(value)
                } else if let target, let other = references.schema(mappedRef), other === target {
                    mapped.append(value)
                }
            }
            if !mapped.isEmpty { return mapped }
        }
        if let own = ownValue(of: variant, property: discriminator.propertyName, references: references) {
            return [own]
        }
        if let ref = variant.ref { return [ref.name] }
        return []
    }

    /// The single string the schema allows for `property`, if it allows exactly one.
    static func ownValue(of schema: Schema, property: String, references: ReferenceTable, depth: Int = 0) -> String? {
        guard depth < 16 else { return nil }
        let resolved = references.resolve(schema)
        if let propertySchema = resolved.properties[property] {
            let target = references.resolve(propertySchema)
            if case .string(let text)? = target.constValue { return text }
            let values = (target.enumValues ?? []).filter { $0 != .null }
            if values.count == 1, case .string(let text) = values[0] { return text }
        }
        for part in resolved.allOf ?? [] {
            if let value = ownValue(of: part, property: property, references: references, depth: depth + 1) {
                return value
            }
        }
        return nil
    }
}
