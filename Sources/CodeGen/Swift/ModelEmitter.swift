/// Writes the Swift declarations of the model's named types: Codable structs with explicit
/// coding keys, enums for enumerations and unions, type aliases for the rest.
struct ModelEmitter {
    let model: APIModel
    let types: SwiftTypes
    /// Properties that close a cycle of structs and so are stored behind `Indirect`.
    let indirectProperties: Set<String>
    /// Types request bodies and parameters are read into: they get validating initialisers.
    let requestTypes: Set<String>
    /// The direct JSON writers of the types that can have one.
    let jsonWriters: JSONWriterEmitter

    init(model: APIModel, types: SwiftTypes, validatingEveryType: Bool = false) {
        self.model = model
        self.types = types
        jsonWriters = JSONWriterEmitter(model: model, types: types)
        indirectProperties = RecursionAnalysis(model: model).propertiesToBox()
        requestTypes = validatingEveryType ? Set(model.types.map(\.name)) : RequestReachability(model: model).types()
    }

    func emit(_ type: NamedType, into writer: inout CodeWriter) {
        guard !types.runtime.isReplaced(type.name) else { return }
        writer.docComment(type.description)
        // Said in the comment rather than with @available: generated code uses its own types,
        // and the attribute would fill every build with warnings.
        if type.deprecated { writer.docComment((type.description == nil ? "" : "\n") + "- Note: Deprecated.") }
        switch type.kind {
        case .object(let shape): emitStruct(type.name, shape, into: &writer)
        case .stringEnum(let values) where type.isOpenEnum:
            emitOpenStringEnum(type.name, values, type.valueDescriptions, into: &writer)
        case .stringEnum(let values): emitStringEnum(type.name, values, type.valueDescriptions, into: &writer)
        case .integerEnum(let values): emitIntegerEnum(type.name, values, type.valueDescriptions, into: &writer)
        case .union(let shape): emitUnion(type.name, shape, into: &writer)
        case .alias(let target, _): writer.line("public typealias \(type.name) = \(types.name(target))")
        }
        jsonWriters.emit(type, into: &writer)
        guard requestTypes.contains(type.name) else { return }
        let validation = ValidationEmitter(types: types, model: model)
        switch type.kind {
        case .object(let shape):
            writer.line()
            validation.emitModel(type.name, shape, into: &writer)
        case .stringEnum where type.isOpenEnum:
            // Any string is valid; the listed ones get their cases.
            writer.line()
            writer.block("extension \(type.name): SchemaValue {") { writer in
                writer.block(
                    "public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> \(type.name)? {"
                ) { writer in
                    writer.line("String.decode(value, at: location, errors: &errors).map(\(type.name).init(rawValue:))")
                }
            }
        case .stringEnum, .integerEnum:
            writer.line()
            writer.line("extension \(type.name): SchemaEnum {}")
        case .union(let shape):
            writer.line()
            validation.emitUnion(type.name, shape, into: &writer)
        case .alias: break
        }
    }

    // MARK: Structs

    private func emitStruct(_ name: String, _ shape: ObjectShape, into writer: inout CodeWriter) {
        let dynamic = shape.additionalProperties
        writer.block("public struct \(name): Codable, Hashable, Sendable {") { writer in
            for property in shape.properties {
                writer.docComment(property.description)
                let boxed = indirectProperties.contains("\(name).\(property.jsonName)")
                writer.line(
                    "\(boxed ? "@Indirect " : "")public var \(SwiftNames.identifier(property.name)): \(types.propertyType(property))"
                )
            }
            for composition in shape.compositions {
                writer.line("/// Which of the schema's alternatives the same object also is.")
                writer.line("public var \(SwiftNames.identifier(composition.name)): \(types.name(composition.type))")
            }
            if let dynamic {
                writer.line("/// Properties beyond the declared ones.")
                writer.line("public var additionalProperties: [String: \(types.name(dynamic))]")
            }
            writer.line()
            emitInitializer(shape, into: &writer)
            if !shape.properties.isEmpty {
                writer.line()
                // Optional properties that allow null are written as null when nil (FastAPI's
                // shape); the runtime's encoder leaves out every other nil.
                let writesNull = shape.properties.filter { !$0.required && !$0.isPatch && $0.type.isNullable }
                let protocolName = writesNull.isEmpty ? "CodingKey" : "SchemaCodingKey"
                writer.block("enum CodingKeys: String, \(protocolName) {") { writer in
                    for property in shape.properties {
                        let caseName = SwiftNames.identifier(property.name)
                        writer.line(
                            property.name == property.jsonName
                                ? "case \(caseName)" : "case \(caseName) = \(SwiftNames.literal(property.jsonName))")
                    }
                    guard !writesNull.isEmpty else { return }
                    writer.line()
                    if writesNull.count == shape.properties.count {
                        writer.line("var acceptsNull: Bool { true }")
                    } else {
                        let cases = writesNull.map { "." + SwiftNames.identifier($0.name) }.joined(separator: ", ")
                        writer.line("var acceptsNull: Bool { switch self { case \(cases): true; default: false } }")
                    }
                }
            }
            let nullRequired = shape.properties.filter { $0.required && $0.type.isNullable }
            let codedByHand = shape.properties.contains { $0.isPatch || types.appliedDefault($0) != nil }
            if dynamic != nil || !shape.compositions.isEmpty || codedByHand {
                writer.line()
                emitCustomCoding(shape, into: &writer)
            } else if !nullRequired.isEmpty {
                // Required but nullable: the key must be written even when the value is nil.
                writer.line()
                writer.block("public func encode(to encoder: any Encoder) throws {") { writer in
                    writer.line("var container = encoder.container(keyedBy: CodingKeys.self)")
                    for property in shape.properties {
                        let identifier = SwiftNames.identifier(property.name)
                        let method = property.required ? "encode" : "encodeIfPresent"
                        let value =
                            indirectProperties.contains("\(name).\(property.jsonName)")
                            ? "_\(property.name).wrappedValue" : "self.\(identifier)"
                        writer.line("try container.\(method)(\(value), forKey: .\(identifier))")
                    }
                }
            }
        }
    }

    private func emitInitializer(_ shape: ObjectShape, into writer: inout CodeWriter) {
        var parameters = shape.properties.map { property -> String in
            let type = types.propertyType(property)
            let defaultValue =
                if property.isPatch {
                    " = .absent"
                } else if let applied = types.appliedDefault(property) {
                    " = \(applied)"
                } else {
                    type.hasSuffix("?") ? " = nil" : ""
                }
            return "\(SwiftNames.identifier(property.name)): \(type)\(defaultValue)"
        }
        for composition in shape.compositions {
            parameters.append("\(SwiftNames.identifier(composition.name)): \(types.name(composition.type))")
        }
        if let dynamic = shape.additionalProperties {
            parameters.append("additionalProperties: [String: \(types.name(dynamic))] = [:]")
        }
        if parameters.isEmpty {
            writer.line("public init() {}")
            return
        }
        let signature = parameters.count <= 2 ? parameters.joined(separator: ", ") : nil
        if let signature {
            writer.line("public init(\(signature)) {")
        } else {
            writer.line("public init(")
            for (offset, parameter) in parameters.enumerated() {
                writer.line("    \(parameter)\(offset == parameters.count - 1 ? "" : ",")")
            }
            writer.line(") {")
        }
        writer.indented { writer in
            for property in shape.properties {
                let identifier = SwiftNames.identifier(property.name)
                writer.line("self.\(identifier) = \(identifier)")
            }
            for composition in shape.compositions {
                let identifier = SwiftNames.identifier(composition.name)
                writer.line("self.\(identifier) = \(identifier)")
            }
            if shape.additionalProperties != nil { writer.line("self.additionalProperties = additionalProperties") }
        }
        writer.line("}")
    }

    /// Coding by hand, for what synthesised `Codable` cannot express: keys beyond the declared
    /// ones, and a union read from (and written into) the same object as the properties.
    private func emitCustomCoding(_ shape: ObjectShape, into writer: inout CodeWriter) {
        writer.block("public init(from decoder: any Decoder) throws {") { writer in
            if !shape.properties.isEmpty {
                writer.line("let container = try decoder.container(keyedBy: CodingKeys.self)")
                for property in shape.properties {
                    let identifier = SwiftNames.identifier(property.name)
                    let type = types.name(property.type)
                    if property.isPatch {
                        writer.line(
                            "self.\(identifier) = try container.decodePatch(\(types.nonOptional(property.type)).self, forKey: .\(identifier))"
                        )
                        continue
                    }
                    if let applied = types.appliedDefault(property) {
                        writer.line(
                            "self.\(identifier) = container.contains(.\(identifier)) ? try container.decode(\(type).self, forKey: .\(identifier)) : \(applied)"
                        )
                        continue
                    }
                    let optional = types.propertyType(property).hasSuffix("?")
                    let bare = optional && type.hasSuffix("?") ? String(type.dropLast()) : type
                    writer.line(
                        optional
                            ? "self.\(identifier) = try container.decodeIfPresent(\(bare).self, forKey: .\(identifier))"
                            : "self.\(identifier) = try container.decode(\(type).self, forKey: .\(identifier))")
                }
            }
            for composition in shape.compositions {
                writer.line(
                    "self.\(SwiftNames.identifier(composition.name)) = try \(types.name(composition.type))(from: decoder)")
            }
            guard let dynamicType = shape.additionalProperties.map(types.name) else { return }
            let known = shape.properties.map { SwiftNames.literal($0.jsonName) }.joined(separator: ", ")
            writer.line("let dynamic = try decoder.container(keyedBy: DynamicCodingKey.self)")
            writer.line("var additionalProperties: [String: \(dynamicType)] = [:]")
            writer.line("let known: Set<String> = [\(known)]")
            writer.block("for key in dynamic.allKeys where !known.contains(key.stringValue) {") { writer in
                writer.line("additionalProperties[key.stringValue] = try dynamic.decode(\(dynamicType).self, forKey: key)")
            }
            writer.line("self.additionalProperties = additionalProperties")
        }
        writer.line()
        writer.block("public func encode(to encoder: any Encoder) throws {") { writer in
            if !shape.properties.isEmpty {
                writer.line("var container = encoder.container(keyedBy: CodingKeys.self)")
                for property in shape.properties {
                    let identifier = SwiftNames.identifier(property.name)
                    let method =
                        property.isPatch
                        ? "encodePatch" : property.required || types.appliedDefault(property) != nil ? "encode" : "encodeIfPresent"
                    writer.line("try container.\(method)(self.\(identifier), forKey: .\(identifier))")
                }
            }
            for composition in shape.compositions {
                // The variant's keys join the same object.
                writer.line("try \(SwiftNames.identifier(composition.name)).encode(to: encoder)")
            }
            guard shape.additionalProperties != nil else { return }
            writer.line("var dynamic = encoder.container(keyedBy: DynamicCodingKey.self)")
            writer.block("for (key, value) in additionalProperties {") { writer in
                writer.line("try dynamic.encode(value, forKey: DynamicCodingKey(key))")
            }
        }
    }

    // MARK: Enums

    /// `descriptions` documents each case (the model's `valueDescriptions`).
    private func emitStringEnum(
        _ name: String, _ values: [String], _ descriptions: [String: String], into writer: inout CodeWriter
    ) {
        var taken: Set<String> = []
        writer.block("public enum \(name): String, Codable, Hashable, Sendable, CaseIterable {") { writer in
            for value in values {
                let base = value.isEmpty ? "empty" : Naming.memberName(value)
                let caseName = Naming.unique(base == "value" && value != "value" ? "value" : base, in: &taken)
                let identifier = SwiftNames.identifier(caseName)
                writer.docComment(descriptions[value])
                writer.line(caseName == value ? "case \(identifier)" : "case \(identifier) = \(SwiftNames.literal(value))")
            }
        }
    }

    /// `x-enum-open: true`: the listed values are cases, and any other string is kept in
    /// `unknown` instead of failing to decode (for values another system may add).
    private func emitOpenStringEnum(
        _ name: String, _ values: [String], _ descriptions: [String: String], into writer: inout CodeWriter
    ) {
        var taken: Set<String> = []
        let cases = values.map { value -> (identifier: String, value: String) in
            let base = value.isEmpty ? "empty" : Naming.memberName(value)
            return (SwiftNames.identifier(Naming.unique(base, in: &taken)), value)
        }
        let unknown = SwiftNames.identifier(Naming.unique("unknown", in: &taken))
        writer.block("public enum \(name): RawRepresentable, Codable, Hashable, Sendable {") { writer in
            for item in cases {
                writer.docComment(descriptions[item.value])
                writer.line("case \(item.identifier)")
            }
            writer.line("/// A value this version of the document does not list.")
            writer.line("case \(unknown)(String)")
            writer.line()
            writer.block("public init(rawValue: String) {") { writer in
                writer.cases("switch rawValue {") { writer in
                    for item in cases { writer.line("case \(SwiftNames.literal(item.value)): self = .\(item.identifier)") }
                    writer.line("default: self = .\(unknown)(rawValue)")
                }
            }
            writer.line()
            writer.block("public var rawValue: String {") { writer in
                writer.cases("switch self {") { writer in
                    for item in cases { writer.line("case .\(item.identifier): \(SwiftNames.literal(item.value))") }
                    writer.line("case .\(unknown)(let value): value")
                }
            }
            writer.line()
            writer.block("public init(from decoder: any Decoder) throws {") { writer in
                writer.line("self.init(rawValue: try decoder.singleValueContainer().decode(String.self))")
            }
            writer.line()
            writer.block("public func encode(to encoder: any Encoder) throws {") { writer in
                writer.line("var container = encoder.singleValueContainer()")
                writer.line("try container.encode(rawValue)")
            }
        }
    }

    private func emitIntegerEnum(
        _ name: String, _ values: [Int], _ descriptions: [String: String], into writer: inout CodeWriter
    ) {
        writer.block("public enum \(name): Int, Codable, Hashable, Sendable, CaseIterable {") { writer in
            for value in values {
                writer.docComment(descriptions[String(value)])
                writer.line("case \(value < 0 ? "valueMinus\(-value)" : "value\(value)") = \(value)")
            }
        }
    }

    // MARK: Unions

    private func emitUnion(_ name: String, _ shape: UnionShape, into writer: inout CodeWriter) {
        // Indirect, so a union may contain a type that contains the union.
        writer.block("public indirect enum \(name): Codable, Hashable, Sendable {") { writer in
            for variant in shape.variants {
                writer.line("case \(SwiftNames.identifier(variant.name))(\(types.name(variant.type)))")
            }
            writer.line()
            writer.block("public init(from decoder: any Decoder) throws {") { writer in
                let mapped = shape.variants.filter { !$0.discriminatorValues.isEmpty }
                if let discriminator = shape.discriminator, !mapped.isEmpty {
                    writer.line("let container = try decoder.container(keyedBy: DynamicCodingKey.self)")
                    writer.line("let key = DynamicCodingKey(\(SwiftNames.literal(discriminator)))")
                    writer.line("let value = try container.decode(String.self, forKey: key)")
                    writer.cases("switch value {") { writer in
                        for variant in mapped {
                            let labels = variant.discriminatorValues.map(SwiftNames.literal).joined(separator: ", ")
                            writer.line(
                                "case \(labels): self = .\(SwiftNames.identifier(variant.name))(try \(initializer(variant.type))(from: decoder))"
                            )
                        }
                        writer.line("default:")
                        writer.line(
                            "    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: \"unknown \(discriminator) '\\(value)'\")"
                        )
                    }
                } else {
                    for variant in shape.variants {
                        let read =
                            passesDecoderThrough(variant.type)
                            ? "\(initializer(variant.type))(from: decoder)"
                            : "decoder.singleValueContainer().decode(\(types.name(variant.type)).self)"
                        writer.line(
                            "if let value = try? \(read) { self = .\(SwiftNames.identifier(variant.name))(value); return }")
                    }
                    writer.line(
                        "throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: \"no variant of \(name) matches\"))"
                    )
                }
            }
            writer.line()
            writer.block("public func encode(to encoder: any Encoder) throws {") { writer in
                writer.cases("switch self {") { writer in
                    for variant in shape.variants {
                        let write =
                            passesDecoderThrough(variant.type)
                            ? "try value.encode(to: encoder)"
                            : "var container = encoder.singleValueContainer(); try container.encode(value)"
                        writer.line("case .\(SwiftNames.identifier(variant.name))(let value): \(write)")
                    }
                }
            }
        }
    }

    /// Whether a union hands its decoder and encoder to the variant's own `Codable` (a model
    /// type, whose keys may share the object with an enclosing type's properties) rather than
    /// going through a single value container. Scalars must take the container: the runtime's
    /// coders give UUIDs and dates their pydantic form only for values they are handed, and
    /// `Date(from:)` or `UUID.encode(to:)` called directly read a number and write uppercase.
    private func passesDecoderThrough(_ type: TypeRef) -> Bool {
        guard case .named(let name) = type, let named = model.type(named: name) else { return false }
        if case .alias(let target, _) = named.kind { return passesDecoderThrough(target) }
        return true
    }

    /// A type expression that can be called with `(from: decoder)`.
    private func initializer(_ type: TypeRef) -> String {
        let name = types.name(type)
        return name.hasPrefix("[") || name.hasSuffix("?") ? "(\(name)).init" : name
    }
}
