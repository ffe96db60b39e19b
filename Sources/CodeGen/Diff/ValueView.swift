import OpenAPI

/// A value's type as the comparison reads it from the model: aliases seen through (their
/// constraints joining the use site's), a named object's properties, an enum's values, a
/// union's variants, an array's items. Two documents that say the same thing in different shapes
/// (a schema moved into `components`, split into `allOf` parts, a component renamed) build the
/// same model, so they give the same view.
struct ValueView {
    /// What an object says of keys it does not declare.
    enum Additional: Equatable {
        /// Nothing: any key, any value.
        case unspecified
        /// `additionalProperties: false`.
        case closed
        /// Other keys hold values of this type.
        case values(TypeRef)
    }

    /// Where the named type the value is (after aliases) is in the model's `types`: its body is
    /// compared once per pair.
    var typeOffset: Int?
    /// The JSON types without `null`; nil when any type is allowed.
    var types: TypeSet?
    var constraints: Constraints
    /// The allowed values without `null`.
    var enumValues: [JSONValue]?
    var isOpenEnum = false
    var properties: [Property] = []
    var additional = Additional.unspecified
    var items: (type: TypeRef, constraints: Constraints)?
    /// The union the value is, or the unions an object's `oneOf`/`anyOf` beside its properties make.
    var unions: [UnionShape] = []
    var location: SourceLocation

    /// `type` resolved through aliases already (`APIModel.resolvingAliases`), without its `null`.
    init(_ type: TypeRef, _ constraints: Constraints, in model: TypeTable, at useSite: SourceLocation) {
        self.constraints = constraints
        location = useSite
        switch type.nonNull {
        case .primitive(let primitive):
            types = Self.typeSet(primitive)
        case .array(let element):
            types = .array
            items = (element, constraints.items?.value ?? Constraints())
        case .dictionary(let values):
            types = .object
            if values != .any { additional = .values(values) }
        case .any, .nullable:
            types = nil
        case .named(let name):
            guard let offset = model.offset(of: name) else { return }
            typeOffset = offset
            location = model.types[offset].location
            switch model.types[offset].kind {
            case .object(let shape):
                types = .object
                properties = shape.properties
                if shape.closed {
                    additional = .closed
                } else if let values = shape.additionalProperties, values != .any {
                    additional = .values(values)
                }
                self.constraints.minProperties = constraints.minProperties ?? shape.minProperties
                self.constraints.maxProperties = constraints.maxProperties ?? shape.maxProperties
                unions = shape.compositions.compactMap { composition in
                    guard let offset = composition.type.namedType.flatMap({ model.offset(of: $0) }),
                        case .union(let shape) = model.types[offset].kind
                    else { return nil }
                    return shape
                }
            case .stringEnum(let values):
                types = .string
                enumValues = values.map { .string($0) }
                isOpenEnum = model.types[offset].isOpenEnum
            case .integerEnum(let values):
                types = .integer
                enumValues = values.map { .integer($0) }
            case .union(let shape):
                unions = [shape]
                types = Self.typeSet(of: shape, in: model, depth: 0)
            case .alias(let target, _):
                // `resolvingAliases` stops only at a cycle of aliases.
                types = Self.typeSet(of: target, in: model, depth: 8)
            }
        }
        if enumValues == nil, let literals = constraints.literals {
            enumValues = literals.filter { $0 != .null }
        }
    }

    /// Whether there is a union to compare variant by variant.
    var hasVariants: Bool { !(unions.first?.variants.isEmpty ?? true) }

    static func typeSet(_ primitive: TypeRef.Primitive) -> TypeSet {
        switch primitive {
        case .string, .uuid, .dateTime, .date, .byte, .binary: .string
        case .integer, .int32, .int64: .integer
        case .number, .float, .double: .number
        case .boolean: .boolean
        }
    }

    /// The JSON types a value of `type` may have; nil when any.
    static func typeSet(of type: TypeRef, in model: TypeTable, depth: Int) -> TypeSet? {
        guard depth < 16 else { return nil }
        switch type.nonNull {
        case .primitive(let primitive): return typeSet(primitive)
        case .array: return .array
        case .dictionary: return .object
        case .any, .nullable: return nil
        case .named(let name):
            switch model.offset(of: name).map({ model.types[$0].kind }) {
            case .object?: return .object
            case .stringEnum?: return .string
            case .integerEnum?: return .integer
            case .union(let shape)?: return typeSet(of: shape, in: model, depth: depth + 1)
            case .alias(let target, _)?: return typeSet(of: target, in: model, depth: depth + 1)
            case nil: return nil
            }
        }
    }

    /// Every type a variant may have; nil when a variant may be anything.
    private static func typeSet(of union: UnionShape, in model: TypeTable, depth: Int) -> TypeSet? {
        var result: TypeSet = []
        for variant in union.variants {
            guard let types = typeSet(of: variant.type, in: model, depth: depth + 1) else { return nil }
            result.formUnion(types)
        }
        return result
    }

    /// Whether a writer of this flow must send the property: a read-only one is never in a
    /// request, a write-only one never in a response.
    static func effectivelyRequired(_ property: Property, flow: DataFlow) -> Bool {
        guard property.required else { return false }
        switch flow {
        case .toServer: return !property.readOnly
        case .toClient: return !property.writeOnly
        }
    }

    /// The types as words: `string`, `integer | null`, `any`.
    var typeDescription: String {
        var words = types?.names ?? ["any"]
        if words.isEmpty { words = ["nothing"] }
        if let format = constraints.format { words[0] += " (\(format))" }
        return words.joined(separator: " | ")
    }
}
