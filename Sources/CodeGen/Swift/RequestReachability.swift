/// The named types that request input is read into — bodies, object parameters, and every
/// type those contain. Only they need validating initialisers; response-only models stay lean.
struct RequestReachability {
    let model: APIModel

    func types() -> Set<String> {
        var roots: [TypeRef] = []
        for operation in model.operations {
            roots += operation.requestBody?.contents.flatMap { [$0.type] + $0.constraints.tupleElementTypes } ?? []
            roots += operation.parameters.flatMap { [$0.type] + $0.constraints.tupleElementTypes }
        }
        return model.namedTypes(reachableFrom: roots)
    }
}
