/// Writes the Swift declarations of the model's named types: Codable structs with explicit
/// coding keys, enums for enumerations and unions, type aliases for the rest.
struct ModelEmitter {
    let model: APIModel
    let types: SwiftTypes
    /// Properties that close a cycle of structs and so are stored behind `Indirect`.
    let indirectProperties: Set<String>
    /// Types request bodies and parameters are read into: they get validating initialisers.
    let requestTypes: Set<String>

    init(model: APIModel, types: SwiftTypes) {
        self.model = model
        self.types = types
        indirectProperties = RecursionAnalysis(model: model).propertiesToBox()
        requestTypes = RequestReachability(model: model).types()
    }

    func emit(_ type: NamedType, into writer: inout CodeWriter) {
        guard !types.runtime.isReplaced(type.name) else { return }
        writer.docComment(type.description)
        // Said in the comment rather than with @available: generated code uses its own types,
        // and the attribute would fill every build with warnings.
        if type.deprecated { writer.docComment((type.description == nil ? "" : "\n") + "- Note: Deprecated.") }
        switch type.kind {
        case .object(let shape): emitStruct(type.name, shape, into: &writer)
        case .stringEnum(let values): emitStringEnum(type.name, values, into: &writer)
        case .integerEnum(let values): emitIntegerEnum(type.name, values, into: &writer)
        case .union(let shape): emitUnion(type.name, shape, into: &writer)
        case .alias(let target, _): writer.line("public typealias \(type.name) = \(types.name(target))")
        }
        guard requestTypes.contains(type.name) else { return }
        let validation = ValidationEmitter(types: types)
        switch type.kind {
        case .object(let shape):
            writer.line()
            validation.emitModel(type.name, shape, into: &writer)
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
            if let dynamic {
                writer.line("/// Properties beyond the declared ones.")
                writer.line("public var additionalProperties: [String: \(types.name(dynamic))]")
            }
            writer.line()
            emitInitializer(shape, into: &writer)
            if !shape.properties.isEmpty {
                writer.line()
                writer.block("enum CodingKeys: String, CodingKey {") { writer in
                    for property in shape.properties {
                        let caseName = SwiftNames.identifier(property.name)
                        writer.line(
                            property.name == property.jsonName
                                ? "case \(caseName)" : "case \(caseName) = \(SwiftNames.literal(property.jsonName))")
                    }
                }
            }
            let nullRequired = shape.properties.filter { $0.required && $0.type.isNullable }
            if dynamic != nil {
                writer.line()
                emitDynamicCoding(shape, into: &writer)
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
            let defaultValue = type.hasSuffix("?") ? " = nil" : ""
            return "\(SwiftNames.identifier(property.name)): \(type)\(defaultValue)"
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
            if shape.additionalProperties != nil { writer.line("self.additionalProperties = additionalProperties") }
        }
        writer.line("}")
    }

    private func emitDynamicCoding(_ shape: ObjectShape, into writer: inout CodeWriter) {
        writer.block("public init(from decoder: any Decoder) throws {") { writer in
            if !shape.properties.isEmpty {
                writer.line("let container = try decoder.container(keyedBy: CodingKeys.self)")
                for property in shape.properties {
                    let identifier = SwiftNames.identifier(property.name)
                    let type = types.name(property.type)
                    let optional = types.propertyType(property).hasSuffix("?")
                    let bare = optional && type.hasSuffix("?") ? String(type.dropLast()) : type
                    writer.line(
                        optional
                            ? "self.\(identifier) = try container.decodeIfPresent(\(bare).self, forKey: .\(identifier))"
                            : "self.\(identifier) = try container.decode(\(type).self, forKey: .\(identifier))")
                }
            }
            let known = shape.properties.map { SwiftNames.literal($0.jsonName) }.joined(separator: ", ")
            writer.line("let dynamic = try decoder.container(keyedBy: DynamicCodingKey.self)")
            writer.line("var additionalProperties: [String: \(types.name(shape.additionalProperties!))] = [:]")
            writer.line("let known: Set<String> = [\(known)]")
            writer.block("for key in dynamic.allKeys where !known.contains(key.stringValue) {") { writer in
                writer.line(
                    "additionalProperties[key.stringValue] = try dynamic.decode(\(types.name(shape.additionalProperties!)).self, forKey: key)"
                )
            }
            writer.line("self.additionalProperties = additionalProperties")
        }
        writer.line()
        writer.block("public func encode(to encoder: any Encoder) throws {") { writer in
            if !shape.properties.isEmpty {
                writer.line("var container = encoder.container(keyedBy: CodingKeys.self)")
                for property in shape.properties {
                    let identifier = SwiftNames.identifier(property.name)
                    let method = property.required ? "encode" : "encodeIfPresent"
                    writer.line("try container.\(method)(self.\(identifier), forKey: .\(identifier))")
                }
            }
            writer.line("var dynamic = encoder.container(keyedBy: DynamicCodingKey.self)")
            writer.block("for (key, value) in additionalProperties {") { writer in
                writer.line("try dynamic.encode(value, forKey: DynamicCodingKey(key))")
            }
        }
    }

    // MARK: Enums

    private func emitStringEnum(_ name: String, _ values: [String], into writer: inout CodeWriter) {
        var taken: Set<String> = []
        writer.block("public enum \(name): String, Codable, Hashable, Sendable, CaseIterable {") { writer in
            for value in values {
                let base = value.isEmpty ? "empty" : Naming.memberName(value)
                let caseName = Naming.unique(base == "value" && value != "value" ? "value" : base, in: &taken)
                let identifier = SwiftNames.identifier(caseName)
                writer.line(caseName == value ? "case \(identifier)" : "case \(identifier) = \(SwiftNames.literal(value))")
            }
        }
    }

    private func emitIntegerEnum(_ name: String, _ values: [Int], into writer: inout CodeWriter) {
        writer.block("public enum \(name): Int, Codable, Hashable, Sendable, CaseIterable {") { writer in
            for value in values {
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
                        writer.line(
                            "if let value = try? \(initializer(variant.type))(from: decoder) { self = .\(SwiftNames.identifier(variant.name))(value); return }"
                        )
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
                        writer.line("case .\(SwiftNames.identifier(variant.name))(let value): try value.encode(to: encoder)")
                    }
                }
            }
        }
    }

    /// A type expression that can be called with `(from: decoder)`.
    private func initializer(_ type: TypeRef) -> String {
        let name = types.name(type)
        return name.hasPrefix("[") || name.hasSuffix("?") ? "(\(name)).init" : name
    }
}
