import OpenAPI

/// An object schema's parts as the model merges them: each `allOf` member (its own members
/// first) before the schema's own keywords, a later property replacing an earlier one of the
/// same name, `required` joined, `additionalProperties: false` anywhere closing the object. The
/// model builder declares objects from this (and `specgen diff` compares the model's objects).
struct ObjectParts {
    /// The properties in declaration order, each with the schema that won.
    var properties: [(name: String, schema: Schema)] = []
    var declaredNames: Set<String> = []
    var required: Set<String> = []
    var closed = false
    var declaresOpen = false
    /// Each `additionalProperties` schema in the order read; the last one applies.
    var additionalSchemas: [Schema] = []
    /// The `oneOf`/`anyOf` of `allOf` members: the object is also one of each (a base's union
    /// of its own variants excepted, see `isInheritedBase`).
    var compositionSources: [(member: Schema?, part: Schema)] = []

    init(_ schema: Schema, references: ReferenceTable) {
        collect(schema, root: schema, references: references, depth: 0)
    }

    private mutating func collect(_ member: Schema, root: Schema, references: ReferenceTable, depth: Int) {
        guard depth < 32 else { return }
        let part = references.resolve(member)
        for member in part.allOf ?? [] { collect(member, root: root, references: references, depth: depth + 1) }
        if depth > 0, part.oneOf != nil || part.anyOf != nil, !Self.isInheritedBase(part, of: root, references: references) {
            compositionSources.append((member, part))
        }
        for (key, property) in part.properties {
            if declaredNames.insert(key).inserted {
                properties.append((key, property))
            } else if let index = properties.firstIndex(where: { $0.name == key }) {
                properties[index].schema = property
            }
        }
        required.formUnion(part.required)
        switch part.additionalProperties {
        case .allowed(false)?: closed = true
        case .allowed(true)?: declaresOpen = true
        case .schema(let values)?: additionalSchemas.append(values)
        default: break
        }
    }

    /// The polymorphism pattern: a variant (`Cat: allOf: [Pet, ...]`) of a union (`Pet: oneOf:
    /// [Cat, Dog]`) inherits the union's properties, not the choice (which would contain itself).
    static func isInheritedBase(_ part: Schema, of schema: Schema, references: ReferenceTable) -> Bool {
        let target = references.resolve(schema)
        return (part.oneOf ?? part.anyOf ?? []).contains { alternative in
            guard let ref = alternative.ref, let variant = references.schema(ref) else { return false }
            return variant === schema || variant === target
        }
    }
}
