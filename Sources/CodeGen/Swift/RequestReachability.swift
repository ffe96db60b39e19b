/// The named types that request input is read into — bodies, object parameters, and every
/// type those contain. Only they need validating initialisers; response-only models stay lean.
struct RequestReachability {
    let model: APIModel

    func types() -> Set<String> {
        var found: Set<String> = []
        var pending: [TypeRef] = []
        for operation in model.operations {
            pending += operation.requestBody?.contents.map(\.type) ?? []
            pending += operation.parameters.map(\.type)
        }
        while let next = pending.popLast() {
            switch next {
            case .named(let name):
                guard found.insert(name).inserted, let type = model.type(named: name) else { continue }
                switch type.kind {
                case .object(let shape):
                    pending += shape.properties.map(\.type)
                    if let extra = shape.additionalProperties { pending.append(extra) }
                    pending += shape.compositions.map(\.type)
                case .union(let shape): pending += shape.variants.map(\.type)
                case .alias(let target, _): pending.append(target)
                case .stringEnum, .integerEnum: break
                }
            case .array(let inner), .dictionary(let inner), .nullable(let inner): pending.append(inner)
            case .primitive, .any: break
            }
        }
        return found
    }
}
