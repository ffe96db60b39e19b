import OpenAPI

/// Swift spellings of `TypeRef`s for one model.
struct SwiftTypes {
    /// The runtime's type for free-form JSON.
    static let jsonValue = "JSONValue"

    /// Schemas the runtime declares itself, by model name.
    let runtime: RuntimeTypes
    /// The model, for the values of enums and aliases that defaults name.
    var model: APIModel?

    func name(_ type: TypeRef) -> String {
        switch type {
        case .named(let name): return runtime.replacements[name] ?? name
        case .primitive(let primitive): return Self.name(primitive)
        case .array(let element): return "[\(name(element))]"
        case .dictionary(let value): return "[String: \(name(value))]"
        case .nullable(let inner):
            let innerName = name(inner.nonNull)
            // A nullable free-form value is already able to hold null.
            return inner.nonNull == .any ? innerName : innerName + "?"
        case .any: return Self.jsonValue
        }
    }

    static func name(_ primitive: TypeRef.Primitive) -> String {
        switch primitive {
        case .string, .date: "String"
        case .integer: "Int"
        case .int32: "Int32"
        case .int64: "Int64"
        case .number, .double: "Double"
        case .float: "Float"
        case .boolean: "Bool"
        case .uuid: "UUID"
        case .dateTime: "Date"
        case .byte, .binary: "Data"
        }
    }

    /// The declared type of a stored property: optional unless required and non-null, or
    /// given by a default that decoding applies; `Patch` for a partial update's nullable field.
    func propertyType(_ property: Property) -> String {
        if property.isPatch { return "Patch<\(nonOptional(property.type))>" }
        let base = name(property.type)
        if property.required || base.hasSuffix("?") || appliedDefault(property) != nil { return base }
        return base + "?"
    }

    /// The Swift literal of the default decoding applies to an absent property; nil when it
    /// applies none, or the value has no literal here (it then stays optional).
    func appliedDefault(_ property: Property) -> String? {
        guard property.appliesDefault, let value = property.defaultValue else { return nil }
        return literal(value, for: property.type)
    }

    /// `value` as a Swift expression of `type`: a literal, or an enum's case by its raw value
    /// (the model applies only defaults that are among the enum's values).
    func literal(_ value: JSONValue, for type: TypeRef, depth: Int = 0) -> String? {
        guard depth < 16 else { return nil }
        switch (type.nonNull, value) {
        case (.array(let element), .array(let items)):
            let literals = items.map { literal($0, for: element, depth: depth + 1) }
            guard !literals.contains(where: { $0 == nil }) else { return nil }
            return "[" + literals.compactMap { $0 }.joined(separator: ", ") + "]"
        case (.named(let name), _):
            guard let named = model?.type(named: name) else { return nil }
            let swiftName = self.name(.named(name))
            switch (named.kind, value) {
            case (.stringEnum(let values), .string(let text)):
                if named.isOpenEnum { return "\(swiftName)(rawValue: \(SwiftNames.literal(text)))" }
                return values.contains(text) ? "\(swiftName)(rawValue: \(SwiftNames.literal(text)))!" : nil
            case (.integerEnum(let values), .integer(let number)):
                return values.contains(number) ? "\(swiftName)(rawValue: \(number))!" : nil
            case (.alias(let target, _), _):
                return literal(value, for: target, depth: depth + 1)
            default: return nil
            }
        default: return ValidationEmitter.literal(value, for: type)
        }
    }

    /// The type without a trailing `?`.
    func nonOptional(_ type: TypeRef) -> String {
        let full = name(type)
        return full.hasSuffix("?") ? String(full.dropLast()) : full
    }
}
