/// The named types that request input is read into — bodies, object parameters, and every
/// type those contain. Only they need validating initialisers; response-only models stay lean.
struct RequestReachability {
    let model: APIModel

    func types() -> Set<String> {
        var roots: [TypeRef] = []
        for operation in model.operations {
            roots += operation.requestBody?.contents.map(\.type) ?? []
            roots += operation.parameters.map(\.type)
        }
        return model.namedTypes(reachableFrom: roots)
    }
}
