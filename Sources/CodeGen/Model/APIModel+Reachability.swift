extension APIModel {
    /// The named types `roots` lead to, themselves included: through properties, additional
    /// properties, compositions, variants, aliases, items, tuple positions and nullability. Emitters ask which
    /// types requests read (validators) or responses carry (row mappings).
    func namedTypes(reachableFrom roots: [TypeRef]) -> Set<String> {
        var found: Set<String> = []
        var pending = roots
        while let next = pending.popLast() {
            switch next {
            case .named(let name):
                guard found.insert(name).inserted, let type = type(named: name) else { continue }
                switch type.kind {
                case .object(let shape):
                    pending += shape.properties.flatMap { [$0.type] + $0.constraints.tupleElementTypes }
                    if let extra = shape.additionalProperties { pending.append(extra) }
                    pending += shape.compositions.map(\.type)
                case .union(let shape): pending += shape.variants.flatMap { [$0.type] + $0.constraints.tupleElementTypes }
                case .alias(let target, let constraints): pending += [target] + constraints.tupleElementTypes
                case .stringEnum, .integerEnum: break
                }
            case .array(let inner), .dictionary(let inner), .nullable(let inner): pending.append(inner)
            case .primitive, .any: break
            }
        }
        return found
    }
}
