import OpenAPI

/// Spells the API model's types in TypeScript. Every decision about what a schema means
/// (names, nullability, `allOf` merging, unions and their discriminator values, enums, `const`,
/// internal schemas) was taken once by `APIModel`; this only writes it down, so the TypeScript
/// type and the Swift type of one schema cannot disagree.
///
/// A named type that is a component of the entry document is written as openapi-typescript
/// writes it (`components["schemas"]["Item"]`); a type the model hoisted out of an inline
/// schema is spelled out where it is used, as openapi-typescript leaves it inline; any other
/// (components of other files, which may refer to themselves) by its alias in `schema.ts`.
final class TypeRefMapper {
    let model: APIModel
    /// The component key (`Item`, as the document spells it) of each named type that is a
    /// published schema component of the entry document, by type name.
    let componentNames: [String: String]
    /// The names of the types left out of the published TypeScript.
    private let internalNames: Set<String>
    /// Hoisted inline types, spelled out at their use.
    private let inlineNames: Set<String>
    /// The inline types being spelled out: one met again inside itself is named instead.
    private var inlining: Set<String> = []
    /// While writing an alias: hoisted types are named, not spelled out.
    private var namesHoisted = false

    init(model: APIModel) {
        self.model = model
        var names: [String: String] = [:]
        var hidden: Set<String> = []
        var inline: Set<String> = []
        for type in model.types {
            if type.isInternal {
                hidden.insert(type.name)
            } else if type.componentKey == nil {
                inline.insert(type.name)
            } else if let key = type.componentKey, let name = Self.componentName(key, section: "schemas", entryFile: model.entryFile) {
                names[type.name] = name
            }
        }
        componentNames = names
        internalNames = hidden
        inlineNames = inline
    }

    /// The name of a component of the entry document in `section` a reference key names
    /// (`file#/components/responses/Not~1Found` → `Not/Found`); nil for anything else.
    static func componentName(_ key: String, section: String, entryFile: String) -> String? {
        let prefix = entryFile + "#/components/" + section + "/"
        guard key.hasPrefix(prefix) else { return nil }
        let escaped = key.dropFirst(prefix.count)
        guard !escaped.isEmpty, !escaped.contains("/") else { return nil }
        return JSONPointer.unescape(escaped)
    }

    /// The type of a value typed `type` at a use where `constraints` apply (its `const` or
    /// inline `enum` values become literal types).
    func type(_ type: TypeRef, _ constraints: Constraints = Constraints()) -> TSType {
        switch type {
        case .nullable(let inner):
            let written = self.type(inner.nonNull, constraints)
            if written.isUnknown { return written }
            // `A | B | null`, not `(A | B) | null`.
            if case .union(let members) = written { return .union(members + [.null]) }
            return .nullable(written)
        case .named(let name):
            return reference(to: name)
        case .primitive(let primitive):
            if let literals = constraints.literals, !literals.isEmpty { return .unionOf(literals.map(Self.literal)) }
            return Self.primitive(primitive)
        case .any:
            if let literals = constraints.literals, !literals.isEmpty { return .unionOf(literals.map(Self.literal)) }
            return .unknown
        case .array(let element):
            if let tuple = constraints.tuple?.value { return self.tuple(tuple) }
            return .array(self.type(element, constraints.items?.value ?? Constraints()))
        case .dictionary(let value):
            if value == .any { return .freeFormRecord }
            return .object([.indexSignature("key", type: self.type(value))])
        }
    }

    /// The enum a property's own schema declared (hoisted by the model, no component of its own).
    private func inlineEnum(_ type: TypeRef) -> NamedType? {
        guard let name = type.namedType, inlineNames.contains(name), let named = model.type(named: name) else { return nil }
        switch named.kind {
        case .stringEnum, .integerEnum: return named
        default: return nil
        }
    }

    /// `prefixItems`: `[A, B?, ...R[]]`, each position its own type, those past `minItems`
    /// optional, the rest (`unknown` unless `items` says) unless `items: false` closes it.
    private func tuple(_ shape: TupleShape) -> TSType {
        var elements = shape.positions.enumerated().map { offset, position in
            let written = type(position.type, position.constraints)
            return offset < shape.requiredCount ? written : .optionalElement(written)
        }
        if let rest = shape.rest { elements.append(.restElement(type(rest, shape.restConstraints))) }
        return .tuple(elements)
    }

    /// How a use refers to the named type `name`.
    func reference(to name: String) -> TSType {
        if let key = componentNames[name] { return .indexed("components", ["schemas", key]) }
        // An internal type is not published; a published type using one is a model error.
        if internalNames.contains(name) { return .unknown }
        if !namesHoisted, inlineNames.contains(name), let type = model.type(named: name), inlining.insert(name).inserted {
            defer { inlining.remove(name) }
            return declaration(of: type)
        }
        return .reference(TypeScriptNames.safeIdentifier(name), [])
    }

    /// The type a named type's alias declares, with the hoisted types inside it named by their
    /// own aliases (declared beside it), so each alias stays as short as its schema.
    func aliasDeclaration(of type: NamedType) -> TSType {
        namesHoisted = true
        defer { namesHoisted = false }
        return declaration(of: type)
    }

    /// The type a named type declares (without `null`, which each use carries).
    func declaration(of type: NamedType) -> TSType {
        switch type.kind {
        case .object(let shape): return object(shape, alwaysSent: model.serverSentTypes.contains(type.name))
        case .stringEnum(let values):
            var members = values.map { TSType.stringLiteral($0) }
            // `x-enum-open`: any other string is valid too; `string & {}` keeps the listed
            // literals in editors' completions.
            if type.isOpenEnum { members.append(.intersectionOf([.string, .object([])])) }
            return .unionOf(members)
        case .integerEnum(let values):
            return .unionOf(values.map { .numberLiteral(String($0)) })
        case .union(let shape): return union(shape)
        case .alias(let target, let constraints): return self.type(target, constraints)
        }
    }

    /// The properties as an object type, `&` the type of further keys and each `oneOf`/`anyOf`
    /// the object must also satisfy. In a type only the server sends (`alwaysSent`), a property
    /// whose default the server applies is always there, so it is required.
    private func object(_ shape: ObjectShape, alwaysSent: Bool) -> TSType {
        var parts: [TSType] = []
        let members = shape.properties.map { property in
            TSMember.property(
                property.jsonName, optional: !property.required && !(alwaysSent && property.appliesDefault),
                readonly: property.readOnly,
                comment: JSDocComment.property(property, enumType: inlineEnum(property.type)),
                type: type(property.type, property.constraints))
        }
        // A key whose schema is `false` may never be present.
        let forbidden = shape.forbiddenProperties.map { TSMember.property($0, optional: true, type: .never) }
        let allMembers = members + forbidden
        if !allMembers.isEmpty { parts.append(.object(allMembers)) }
        if let additional = shape.additionalProperties {
            parts.append(.object([.indexSignature("key", type: type(additional))]))
        } else if shape.declaresOpen {
            parts.append(.object([.indexSignature("key", type: .unknown)]))
        }
        parts += shape.compositions.map { type($0.type) }
        guard !parts.isEmpty else { return shape.closed ? .emptyRecord : .freeFormRecord }
        return .intersectionOf(parts)
    }

    /// The variants as a union; with a discriminator each variant is narrowed to its values,
    /// so a `switch` on the property narrows the union as the decoders dispatch on it.
    private func union(_ shape: UnionShape) -> TSType {
        .unionOf(
            shape.variants.map { variant in
                let written = type(variant.type, variant.constraints)
                guard let property = shape.discriminator, !variant.discriminatorValues.isEmpty,
                    isObject(variant.type), !declares(variant.type, property, variant.discriminatorValues)
                else { return written }
                let values = TSType.unionOf(variant.discriminatorValues.map { .stringLiteral($0) })
                return .intersectionOf([written, .object([.property(property, type: values)])])
            })
    }

    /// Whether a value of `type` is a JSON object whose keys a discriminator can narrow.
    private func isObject(_ type: TypeRef) -> Bool {
        let (resolved, _) = model.resolvingAliases(type, Constraints())
        guard let name = resolved.namedType, case .object? = model.type(named: name)?.kind else { return false }
        return true
    }

    /// Whether the object already types `property` as exactly `values` (a `const` or a
    /// one-value `enum`), so narrowing it again would only repeat it.
    private func declares(_ type: TypeRef, _ property: String, _ values: [String]) -> Bool {
        let (resolved, _) = model.resolvingAliases(type, Constraints())
        guard let name = resolved.namedType, case .object(let shape)? = model.type(named: name)?.kind,
            let declared = shape.properties.first(where: { $0.jsonName == property })
        else { return false }
        return declared.required && declared.constraints.literals == values.map { JSONValue.string($0) }
    }

    static func primitive(_ primitive: TypeRef.Primitive) -> TSType {
        switch primitive {
        case .string, .uuid, .dateTime, .date, .byte, .binary: .string
        case .integer, .int32, .int64, .number, .float, .double: .number
        case .boolean: .boolean
        }
    }

    /// A JSON value as a literal type (openapi-typescript's `tsLiteral`).
    static func literal(_ value: JSONValue) -> TSType {
        switch value {
        case .string(let text): .stringLiteral(text)
        case .integer(let number): .numberLiteral(String(number))
        case .number(let number): .numberLiteral(TypeScriptNames.number(number))
        case .bool(let flag): .booleanLiteral(flag)
        case .null: .null
        case .array(let items): items.isEmpty ? .array(.never) : .tuple(items.map(literal))
        case .object(let members):
            members.isEmpty
                ? .emptyRecord
                : .object(members.map { key, member in TSMember.property(key, type: literal(member)) })
        }
    }
}
