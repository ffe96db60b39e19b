/// Schemas that the runtime already defines: FastAPI's error bodies. A document that declares
/// them (as the FastAPI template's does) gets the runtime's types, so services throw and return
/// the same errors the error middleware writes.
struct RuntimeTypes {
    /// Model type name → runtime type name.
    let replacements: [String: String]

    init(replacements: [String: String]) {
        self.replacements = replacements
    }

    init(model: APIModel) {
        var replacements: [String: String] = [:]
        for type in model.types {
            guard let key = type.componentKey, case .object(let shape) = type.kind else { continue }
            let names = Set(shape.properties.map(\.jsonName))
            if key.hasSuffix("/components/schemas/HTTPValidationError"), names == ["detail"] {
                replacements[type.name] = "HTTPValidationError"
            } else if key.hasSuffix("/components/schemas/ValidationError"), names.isSuperset(of: ["loc", "msg", "type"]) {
                replacements[type.name] = "ValidationError"
            } else if key.hasSuffix("/components/schemas/HTTPError"), names == ["detail"] {
                replacements[type.name] = "HTTPError"
            }
        }
        self.replacements = replacements
    }

    func isReplaced(_ name: String) -> Bool { replacements[name] != nil }
}
