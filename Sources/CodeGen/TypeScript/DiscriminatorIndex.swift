import OpenAPI

/// What openapi-typescript's `scanDiscriminators` learns before writing types, so unions and
/// `allOf` inheritance narrow on the discriminator property as they do there.
///
/// openapi-typescript edits the document in place; the loaded schemas are immutable, so the
/// edits are kept here and applied while writing:
/// - a schema a discriminator maps to gets the discriminator property as a required enum of
///   its values (an extra `allOf` member when it is an `allOf`, a replaced or added property
///   when it is an object);
/// - a schema that inherits (through `allOf`) from one with a discriminator is known, so its
///   parent is written as `Omit<Parent, "kind">` and its own `kind` as its name.
struct DiscriminatorIndex {
    /// The discriminator property as an enum of `values`.
    struct EnumPatch {
        var propertyName: String
        var values: [String]
        var description: String
    }

    private var discriminators: [ObjectIdentifier: Schema.Discriminator] = [:]
    private var handled: Set<ObjectIdentifier> = []
    private var propertyPatches: [ObjectIdentifier: EnumPatch] = [:]
    private var allOfPatches: [ObjectIdentifier: [EnumPatch]] = [:]

    static let addedDescription = "discriminator enum property added by openapi-typescript"

    init(schemas: [Schema], references: ReferenceTable) {
        // First pass: every discriminator, and the values of `oneOf` members it selects.
        for schema in schemas {
            guard let discriminator = schema.discriminator, !discriminator.propertyName.isEmpty else { continue }
            discriminators[ObjectIdentifier(schema)] = discriminator
            guard let oneOf = schema.oneOf else { continue }
            var order: [String] = []
            var targets: [String: Reference] = [:]
            var inferred: [String: String] = [:]
            var defined: [String: [String]] = [:]
            for item in oneOf {
                guard let ref = item.ref else { continue }
                // The variant's own single value of the property wins over its name, as in the
                // model (`DiscriminatorValues`): a payload carries that value, not the name.
                let name = ref.raw.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
                let value =
                    DiscriminatorValues.ownValue(
                        of: item, property: discriminator.propertyName, references: references) ?? name
                guard !value.isEmpty else { continue }
                if targets[ref.key] == nil { order.append(ref.key) }
                targets[ref.key] = ref
                inferred[ref.key] = value
            }
            for (value, ref) in discriminator.mapping {
                if targets[ref.key] == nil { order.append(ref.key) }
                targets[ref.key] = ref
                if defined[ref.key] == nil {
                    defined[ref.key] = []
                    inferred[ref.key] = nil
                }
                defined[ref.key]?.append(value)
            }
            for key in order {
                guard let ref = targets[key], let target = references.schema(ref) else { continue }
                let id = ObjectIdentifier(target)
                guard !handled.contains(id) else { continue }
                guard let values = defined[key] ?? inferred[key].map({ [$0] }) else { continue }
                if patch(target, values: values, discriminator: discriminator) { handled.insert(id) }
            }
        }
        // Second pass: schemas that inherit a discriminator through `allOf`.
        for schema in schemas {
            guard let allOf = schema.allOf else { continue }
            let id = ObjectIdentifier(schema)
            for item in allOf {
                if let ref = item.ref {
                    // openapi-typescript stops at the first referenced part without a discriminator.
                    guard let target = references.schemas[ref.key],
                        let discriminator = discriminators[ObjectIdentifier(target)]
                    else { break }
                    let values = discriminator.mapping.compactMap { value, mapped in
                        references.schemas[mapped.key].map(ObjectIdentifier.init) == id ? value : nil
                    }
                    if !values.isEmpty, patch(schema, values: values, discriminator: discriminator) {
                        handled.insert(id)
                    }
                    discriminators[id] = discriminator
                } else if let discriminator = item.discriminator, !discriminator.propertyName.isEmpty {
                    discriminators[id] = discriminator
                }
            }
        }
    }

    /// The schema's own discriminator, or the one it inherits.
    func discriminator(of schema: Schema) -> Schema.Discriminator? {
        discriminators[ObjectIdentifier(schema)]
    }

    /// True when the discriminator values were already written into the schema.
    func isHandled(_ schema: Schema) -> Bool { handled.contains(ObjectIdentifier(schema)) }

    func propertyPatch(for schema: Schema) -> EnumPatch? { propertyPatches[ObjectIdentifier(schema)] }

    func allOfPatches(for schema: Schema) -> [EnumPatch] { allOfPatches[ObjectIdentifier(schema)] ?? [] }

    private mutating func patch(_ target: Schema, values: [String], discriminator: Schema.Discriminator) -> Bool {
        let id = ObjectIdentifier(target)
        if target.allOf != nil {
            allOfPatches[id, default: []].append(
                EnumPatch(propertyName: discriminator.propertyName, values: values, description: Self.addedDescription))
            return true
        }
        guard target.types?.count == 1, target.types?.first == .object else { return false }
        let previous = target.properties[discriminator.propertyName]?.description
        let description = previous.map { "\($0) (enum property replaced by openapi-typescript)" } ?? Self.addedDescription
        propertyPatches[id] = EnumPatch(propertyName: discriminator.propertyName, values: values, description: description)
        return true
    }
}
