import OpenAPI

/// An operation's parameters as the model reads them: the path item's first, each replaced by
/// the operation's parameter of the same name and place, references followed. The model builder
/// types this list and `specgen diff` compares it, so both see the same parameters.
enum OperationParameters {
    struct Entry {
        var parameter: Parameter
        /// The key of the parameter component it came from (`file#/components/parameters/Limit`).
        var componentKey: String?
    }

    static func merged(_ item: PathItem, _ operation: OpenAPI.Operation, references: ReferenceTable) -> [Entry] {
        var merged: [Entry] = []
        for reference in item.parameters {
            guard let parameter = references.resolve(reference) else { continue }
            merged.append(Entry(parameter: parameter, componentKey: componentKey(reference)))
        }
        for reference in operation.parameters {
            guard let parameter = references.resolve(reference) else { continue }
            merged.removeAll { $0.parameter.name == parameter.name && $0.parameter.location == parameter.location }
            merged.append(Entry(parameter: parameter, componentKey: componentKey(reference)))
        }
        return merged
    }

    /// A path parameter is always required, whatever it says.
    static func isRequired(_ parameter: Parameter) -> Bool {
        parameter.required || parameter.location == .path
    }

    private static func componentKey(_ reference: Referenceable<Parameter>) -> String? {
        guard case .reference(let ref) = reference, ref.key.contains("#/components/parameters/") else { return nil }
        return ref.key
    }
}
