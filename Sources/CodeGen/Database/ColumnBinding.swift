/// How a row property's Swift value becomes a statement parameter: scalars and their arrays
/// bind as they are, enums by raw value, everything else (objects, unions, free-form JSON)
/// as `jsonb` through `PostgresJSON`, which is how the SQL emitter stores them.
enum ColumnBinding {
    case direct
    case rawValue
    case rawValues
    case json

    static func of(_ type: TypeRef, in model: APIModel) -> ColumnBinding {
        let (resolved, _) = model.resolvingAliases(type.nonNull, Constraints())
        switch resolved.nonNull {
        case .primitive: return .direct
        case .array(let element):
            switch model.resolvingAliases(element.nonNull, Constraints()).0 {
            case .primitive: return .direct
            case .named(let name) where isEnum(name, model): return .rawValues
            default: return .json
            }
        case .named(let name) where isEnum(name, model): return .rawValue
        default: return .json
        }
    }

    private static func isEnum(_ name: String, _ model: APIModel) -> Bool {
        switch model.type(named: name)?.kind {
        case .stringEnum, .integerEnum: true
        default: false
        }
    }

    /// The parameter for `expression`, a value of the property's type (optional when `optional`).
    func bind(_ expression: String, optional: Bool) -> String {
        switch self {
        case .direct: expression
        case .rawValue: optional ? "\(expression)?.rawValue" : "\(expression).rawValue"
        case .rawValues: optional ? "\(expression)?.map(\\.rawValue)" : "\(expression).map(\\.rawValue)"
        case .json: optional ? "\(expression).map(PostgresJSON.init)" : "PostgresJSON(\(expression))"
        }
    }
}
