import OpenAPI

/// The TypeScript type of a schema, decided as openapi-typescript 7's `transformSchemaObject`
/// decides it (with its default options):
///
/// - `$ref` → `components["schemas"]["X"]`; `true` → `unknown`, `false` → `never`;
/// - `const` → a literal; `enum` → a union of literals (`| null` when nullable);
/// - `string`/`number`/`integer`/`boolean`/`null` → the keyword; 3.1 type arrays → a union of
///   each type; `array` → `T[]`, `prefixItems` → a tuple;
/// - properties → an object type, `?` unless required, `readonly` for `readOnly`; a property
///   with a `default` is required in responses only (openapi-typescript's `defaultNonNullable`
///   also does it in components, which clients send too);
///   `additionalProperties`/`patternProperties` → `& { [key: string]: T }`;
/// - `allOf` → an intersection with the object (a referenced part gets `WithRequired<…>` for the
///   keys the parent requires, `Omit<…, "kind">` when it carries a discriminator), `anyOf` → a
///   union with it, `oneOf` → a union, intersected with the object unless all are primitives;
/// - nothing to go on → `unknown`, or `Record<string, unknown>` when `type: object` was given
///   (`Record<string, never>` when closed by `additionalProperties: false`);
///   3.0's `nullable` → `| null`.
///
/// The path passed along is the JSON pointer openapi-typescript tracks; it decides
/// `defaultNonNullable` and the value of an inherited discriminator.
final class SchemaTypeBuilder {
    struct Options {
        /// Written as if `type` were this one type (the members of a 3.1 type array).
        var type: Schema.JSONType?
        /// Written without its `oneOf` (already spread over a type array).
        var withoutOneOf = false
        /// Replaces the schema's `required` (an inline `allOf` part gets its parent's too).
        var required: [String]?
        /// The schema is a component's root: an inherited discriminator names it.
        var isComponent = false
        /// Written without the `null` it accepts (a named alias; `| null` stays at the use site).
        var withoutNull = false
    }

    private let references: ReferenceTable
    private let components: ComponentReferences
    private let discriminators: DiscriminatorIndex
    /// The name of openapi-typescript's `WithRequired` helper (another when a schema takes it).
    let withRequiredName: String
    /// Called the first time `WithRequired` is written, so the file declares it.
    var onWithRequired: (() -> Void)?
    private var usedWithRequired = false

    /// The API model's hoisted types, by schema (found by source location in `SchemaCatalog`).
    private let hoistedNames: [ObjectIdentifier: String]
    /// The pointer each hoisted type was first written at (its alias is written from there).
    private(set) var hoistedPaths: [ObjectIdentifier: String] = [:]
    /// While writing a hoisted type's alias: that schema, whose nested hoisted types are named.
    private var aliasRoot: ObjectIdentifier?

    init(
        references: ReferenceTable, components: ComponentReferences, discriminators: DiscriminatorIndex,
        hoistedNames: [ObjectIdentifier: String], withRequiredName: String
    ) {
        self.references = references
        self.components = components
        self.discriminators = discriminators
        self.hoistedNames = hoistedNames
        self.withRequiredName = withRequiredName
    }

    /// The type of a hoisted type's declaration: `schema` without its own `null`, with nested
    /// hoisted types written by name.
    func aliasType(_ schema: Schema, path: String) -> TSType {
        aliasRoot = ObjectIdentifier(schema)
        defer { aliasRoot = nil }
        var options = Options()
        options.withoutNull = true
        return type(schema, path: path, options: options)
    }

    func type(_ schema: Schema, path: String, options: Options = Options()) -> TSType {
        if options.type == nil, !hoistedNames.isEmpty {
            let id = ObjectIdentifier(schema)
            if let aliasRoot {
                if id != aliasRoot, let name = hoistedNames[id] {
                    return schema.isNullable ? .nullable(.reference(name, [])) : .reference(name, [])
                }
            } else if hoistedNames[id] != nil, hoistedPaths[id] == nil {
                hoistedPaths[id] = path
            }
        }
        if let value = schema.booleanValue { return value ? .unknown : .never }
        if let ref = schema.ref { return components.type(for: ref, in: .schemas) }
        if let constant = schema.constValue, constant != .null { return Self.literal(constant) }

        let types = options.type.map { [$0] } ?? schema.types
        let isObjectType = types?.count == 1 && types?.first == .object
        let required = options.required ?? schema.required

        if var values = schema.enumValues, !isObjectType, schema.properties.isEmpty {
            let hasAdditional = Self.allowsAdditionalProperties(schema)
            let isStringType = types?.count == 1 && types?.first == .string
            if !hasAdditional || isStringType {
                if options.withoutNull { values.removeAll { $0 == .null } }
                var members = values.map(Self.literal)
                // `x-enum-open`: any other string is valid too; `string & {}` keeps the listed
                // literals in editors' completions.
                if schema.extensions["x-enum-open"] == .bool(true) { members.append(.intersectionOf([.string, .object([])])) }
                if !options.withoutNull, types?.contains(.null) == true || schema.nullable { members.append(.null) }
                var result = TSType.unionOf(members)
                if hasAdditional { result = .unionOf([result, .intersectionOf([.string, .object([])])]) }
                return result
            }
        }

        var result: TSType?
        let core = coreType(schema, path: path, types: types, required: required, options: options)
        let allOf = allOfTypes(schema, path: path, required: required)
        if core != nil || !allOf.isEmpty {
            result = .intersectionOf([core, allOf.isEmpty ? nil : .intersectionOf(allOf)].compactMap { $0 })
        }
        if let anyOf = schema.anyOf, !anyOf.isEmpty {
            let members = anyOf.enumerated().map { offset, part in type(part, path: path + "/anyOf/\(offset)") }
            result = .unionOf([result].compactMap { $0 } + members)
        }
        if !options.withoutOneOf, let oneOf = schema.oneOf, !oneOf.isEmpty {
            let members = oneOf.enumerated().map { offset, part in type(part, path: path + "/oneOf/\(offset)") }
            if members.allSatisfy(\.isPrimitive) {
                result = .unionOf([result].compactMap { $0 } + members)
            } else {
                result = .intersectionOf([result].compactMap { $0 } + [.unionOf(members)])
            }
        }
        // `type: object` and nothing else is any object, as in Swift; only a closed one
        // (`additionalProperties: false`) is the empty object.
        let closed: Bool = if case .allowed(false)? = schema.additionalProperties { true } else { false }
        let final = result ?? (types == nil ? .unknown : closed ? .emptyRecord : .freeFormRecord)
        if !final.isUnknown, schema.nullable, !options.withoutNull { return .nullable(final) }
        return final
    }

    // MARK: Without composition

    private func coreType(
        _ schema: Schema, path: String, types: [Schema.JSONType]?, required: [String], options: Options
    ) -> TSType? {
        if let types {
            if types.count == 1 {
                switch types[0] {
                case .null: return .null
                case .string: return .string
                case .number, .integer: return .number
                case .boolean: return .boolean
                case .array: return arrayType(schema, path: path)
                case .object: break
                }
            } else {
                return polymorphicType(schema, path: path, types: types, options: options)
            }
        }

        var members: [TSMember] = []
        if options.isComponent, schema.allOf != nil || schema.anyOf != nil, schema.discriminator == nil,
            !discriminators.isHandled(schema), let discriminator = discriminators.discriminator(of: schema)
        {
            members.append(Self.discriminatorProperty(discriminator, path: path))
        }

        let properties = schema.properties
        var required = required
        let patch = discriminators.propertyPatch(for: schema)
        if let patch, !required.contains(patch.propertyName) { required.append(patch.propertyName) }
        let hasAdditional = Self.allowsAdditionalProperties(schema)
        guard
            !properties.isEmpty || patch != nil || hasAdditional || !schema.patternProperties.isEmpty
                || !schema.defs.isEmpty
        else {
            return members.isEmpty ? nil : .object(members)
        }

        // Defaults make a property required only in responses, whose every value the server
        // writes (Swift applies the default while decoding). A component or request model is
        // also what a client sends, where a defaulted property may be left out.
        let defaultsRequire = Self.isInResponse(path)
        var patched = false
        for (key, property) in properties {
            if let patch, key == patch.propertyName {
                members.append(Self.enumProperty(patch))
                patched = true
                continue
            }
            let isRequired = required.contains(key) || (defaultsRequire && property.defaultValue != nil)
            let propertyType =
                property.ref.map { components.type(for: $0, in: .schemas) }
                ?? type(property, path: path + "/" + ComponentReferences.escaped(key))
            members.append(
                .property(
                    key, optional: !isRequired, readonly: property.readOnly, comment: JSDocComment.schema(property),
                    type: propertyType))
        }
        if let patch, !patched { members.append(Self.enumProperty(patch)) }

        if !schema.defs.isEmpty {
            let definitions = schema.defs.map { key, definition in
                TSMember.property(
                    key, readonly: definition.readOnly, comment: JSDocComment.schema(definition),
                    type: type(definition, path: path + "/$defs/" + ComponentReferences.escaped(key)))
            }
            members.append(.property("$defs", optional: true, type: .object(definitions)))
        }

        var indexTypes: [TSType] = []
        switch schema.additionalProperties {
        case .schema(let values)?:
            indexTypes.append(Self.isEmpty(values) ? .unknown : type(values, path: path))
        case .allowed(true)?:
            indexTypes.append(.unknown)
        default:
            break
        }
        for (_, values) in schema.patternProperties { indexTypes.append(type(values, path: path)) }
        guard !indexTypes.isEmpty else { return members.isEmpty ? nil : .object(members) }
        let index = TSType.object([.indexSignature("key", type: .unionOf(indexTypes))])
        return .intersectionOf((members.isEmpty ? [] : [.object(members)]) + [index])
    }

    /// A 3.1 type array: each type written on its own (primitives a `oneOf` spells out skipped).
    private func polymorphicType(_ schema: Schema, path: String, types: [Schema.JSONType], options: Options) -> TSType {
        var members: [TSType] = []
        let oneOf = options.withoutOneOf ? nil : schema.oneOf
        for member in types {
            if let oneOf, member != .array, member != .object,
                oneOf.contains(where: { $0.types?.count == 1 && $0.types?.first == member })
            {
                continue
            }
            if member == .null {
                if !options.withoutNull { members.append(.null) }
                continue
            }
            var single = options
            single.type = member
            if oneOf != nil { single.withoutOneOf = true }
            members.append(type(schema, path: path, options: single))
        }
        return .unionOf(members)
    }

    private func arrayType(_ schema: Schema, path: String) -> TSType {
        var item = TSType.unknown
        if let prefixItems = schema.prefixItems {
            item = .tuple(prefixItems.map { type($0, path: path) })
        } else if let items = schema.items {
            let isArray = items.ref == nil && items.types?.count == 1 && items.types?.first == .array
            item = isArray ? .array(type(items, path: path)) : type(items, path: path)
        }
        switch item {
        case .tuple, .array: return item
        default: return .array(item)
        }
    }

    // MARK: allOf

    private func allOfTypes(_ schema: Schema, path: String, required: [String]) -> [TSType] {
        var result: [TSType] = []
        for part in schema.allOf ?? [] {
            var partType: TSType
            if let ref = part.ref {
                partType = components.type(for: ref, in: .schemas)
                if let target = references.schema(ref), !target.properties.isEmpty, !discriminators.isHandled(target) {
                    let keys = required.filter { target.properties[$0] != nil }
                    if !keys.isEmpty { partType = withRequired(partType, keys: keys) }
                }
            } else {
                var options = Options()
                options.required = required + part.required
                partType = type(part, path: path, options: options)
            }
            let discriminator =
                part.ref.flatMap { references.schemas[$0.key] }.flatMap { discriminators.discriminator(of: $0) }
                ?? part.discriminator
            if let discriminator {
                partType = .reference("Omit", [partType, .union([.stringLiteral(discriminator.propertyName)])])
            }
            result.append(partType)
        }
        for patch in discriminators.allOfPatches(for: schema) {
            result.append(.object([Self.enumProperty(patch)]))
        }
        return result
    }

    private func withRequired(_ type: TSType, keys: [String]) -> TSType {
        if !usedWithRequired {
            usedWithRequired = true
            onWithRequired?()
        }
        return .reference(withRequiredName, [type, .unionOf(keys.map { .stringLiteral($0) })])
    }

    // MARK: Helpers

    /// `kind: "Cat"`: the value is the component's name, or the mapping key that points to it.
    private static func discriminatorProperty(_ discriminator: Schema.Discriminator, path: String) -> TSMember {
        var value = ComponentReferences.segments(String(path.drop { $0 != "/" })).last ?? ""
        for (key, reference) in discriminator.mapping {
            let raw = reference.raw
            let matches =
                raw.hasPrefix("#")
                ? ComponentReferences.segments(String(raw.dropFirst())).last == value : raw == value
            if matches {
                value = key
                break
            }
        }
        return .property(discriminator.propertyName, type: .stringLiteral(value))
    }

    /// The discriminator property openapi-typescript adds: a required enum of the mapped values.
    private static func enumProperty(_ patch: DiscriminatorIndex.EnumPatch) -> TSMember {
        .property(
            patch.propertyName,
            comment: JSDocComment.text(["@description " + JSDocComment.continued(patch.description), "@enum {string}"]),
            type: .unionOf(patch.values.map { .stringLiteral($0) }))
    }

    /// A schema of a response: under `#/components/responses/`, or an operation's `responses`
    /// (`#/paths/~1items/get/responses/200/…`, webhooks alike); a property named `responses`
    /// inside a component schema is not one.
    static func isInResponse(_ path: String) -> Bool {
        if path.hasPrefix("#/components/responses/") { return true }
        guard path.hasPrefix("#/paths/") || path.hasPrefix("#/webhooks/") else { return false }
        let segments = path.split(separator: "/")
        // `#`, `paths`, the path, the method, then `responses`.
        return segments.count > 4 && segments[4] == "responses"
    }

    /// `additionalProperties` present and not `false`.
    private static func allowsAdditionalProperties(_ schema: Schema) -> Bool {
        switch schema.additionalProperties {
        case .schema?, .allowed(true)?: true
        default: false
        }
    }

    /// A schema written as `{}`: openapi-typescript treats it as `additionalProperties: true`.
    private static func isEmpty(_ schema: Schema) -> Bool {
        schema.booleanValue == nil && schema.ref == nil && schema.types == nil && !schema.nullable
            && schema.format == nil && schema.title == nil && schema.description == nil && schema.defaultValue == nil
            && schema.examples.isEmpty && schema.enumValues == nil && schema.constValue == nil
            && schema.properties.isEmpty && schema.required.isEmpty && schema.additionalProperties == nil
            && schema.patternProperties.isEmpty && schema.items == nil && schema.prefixItems == nil
            && schema.allOf == nil && schema.oneOf == nil && schema.anyOf == nil && schema.not == nil
            && schema.discriminator == nil && schema.extensions.isEmpty
    }

    /// A JSON value as a literal type (`tsLiteral`).
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
