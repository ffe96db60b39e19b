/// Swift spellings of `TypeRef`s for one model.
struct SwiftTypes {
    /// The runtime's type for free-form JSON.
    static let jsonValue = "JSONValue"

    /// Schemas the runtime declares itself, by model name.
    let runtime: RuntimeTypes

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

    /// The declared type of a stored property: optional unless required and non-null.
    func propertyType(_ property: Property) -> String {
        let base = name(property.type)
        if property.required || base.hasSuffix("?") { return base }
        return base + "?"
    }

    /// The type without a trailing `?`.
    func nonOptional(_ type: TypeRef) -> String {
        let full = name(type)
        return full.hasSuffix("?") ? String(full.dropLast()) : full
    }
}
