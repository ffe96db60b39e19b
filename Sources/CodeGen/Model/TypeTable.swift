/// The named types of a model with their offsets by name: what reading a type by its name needs,
/// without the rest of the model.
public struct TypeTable: Sendable {
    public let types: [NamedType]
    let offsets: [String: Int]

    /// Where the type `name` is in `types`: reading a field there copies that field, not the
    /// whole type.
    public func offset(of name: String) -> Int? { offsets[name] }

    /// What a value of `type` must satisfy, with `constraints` stated at its use: a named alias
    /// (`Name: {type: string, minLength: 1}`, `Names: {type: array, maxItems: 3}`) is seen through
    /// to the type it stands for, its own constraints joining the use site's (which win). So a
    /// property, an item or a variant naming an alias is checked as if the alias were written there.
    public func resolvingAliases(_ type: TypeRef, _ constraints: Constraints) -> (TypeRef, Constraints) {
        var current = type
        var merged = constraints
        // Aliases of aliases are followed; the bound only guards against a cycle.
        for _ in 0..<16 {
            guard case .named(let name) = current.nonNull, let offset = offsets[name],
                case .alias(let target, let own) = types[offset].kind
            else { break }
            current = current.isNullable ? .nullable(target.nonNull) : target
            merged = merged.merged(over: own)
        }
        return (current, merged)
    }
}
