/// Finds struct properties that close a cycle of structs stored by value (`A.b: B`,
/// `B.a: A?`), which Swift cannot lay out. Boxing one property per cycle is enough;
/// unions are `indirect` enums and arrays and dictionaries are already boxed.
struct RecursionAnalysis {
    let model: APIModel

    /// `TypeName.jsonName` of each property to store behind `Indirect`.
    func propertiesToBox() -> Set<String> {
        var boxed: Set<String> = []
        var state: [String: Int] = [:]  // 1 on the stack, 2 done
        for type in model.types {
            guard case .object = type.kind, state[type.name] == nil else { continue }
            visit(type.name, &state, &boxed)
        }
        return boxed
    }

    private func visit(_ name: String, _ state: inout [String: Int], _ boxed: inout Set<String>) {
        state[name] = 1
        guard let type = model.type(named: name), case .object(let shape) = type.kind else {
            state[name] = 2
            return
        }
        for property in shape.properties {
            guard let target = structTarget(property.type) else { continue }
            switch state[target] {
            case 1?: boxed.insert("\(name).\(property.jsonName)")
            case nil: visit(target, &state, &boxed)
            default: break
            }
        }
        state[name] = 2
    }

    /// The struct a property stores inline, looking through aliases and nullability.
    private func structTarget(_ type: TypeRef) -> String? {
        var current = type.nonNull
        var hops = 0
        while case .named(let name) = current, hops < 32 {
            guard let declared = model.type(named: name) else { return nil }
            switch declared.kind {
            case .object: return name
            case .alias(let target, _):
                current = target.nonNull
                hops += 1
            default: return nil
            }
        }
        return nil
    }
}
