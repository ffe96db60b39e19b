import OpenAPI

/// Writes what turns request JSON into models the way FastAPI does: a `SchemaModel`
/// initialiser per request model that reads every property, checks the schema's constraints
/// and records every failure with its `loc`, and a `SchemaValue` conformance per union.
struct ValidationEmitter {
    let types: SwiftTypes
    /// For the constraints of named aliases (see `APIModel.resolvingAliases`).
    let model: APIModel

    func emitModel(_ name: String, _ shape: ObjectShape, into writer: inout CodeWriter) {
        writer.block("extension \(name): SchemaModel {") { writer in
            var rules: [String: String] = [:]
            for property in shape.properties {
                if let expression = ruleExpression(property.type, property.constraints) {
                    let ruleName = "\(property.name)Rules"
                    rules[property.name] = ruleName
                    writer.line("static let \(ruleName) = \(expression)")
                }
            }
            if !rules.isEmpty { writer.line() }
            writer.block(
                "public init?(json: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) {"
            ) { writer in
                let forbidden = shape.forbiddenProperties
                if shape.properties.isEmpty && !shape.closed && shape.compositions.isEmpty && forbidden.isEmpty {
                    writer.line("guard errors.object(json, at: location) != nil else { return nil }")
                    writer.line(shape.additionalProperties == nil ? "self.init()" : "self.init(additionalProperties: [:])")
                    return
                }
                if shape.properties.isEmpty && !shape.closed && forbidden.isEmpty {
                    // Only compositions: the object itself is all they read.
                    writer.line("guard errors.object(json, at: location) != nil else { return nil }")
                } else {
                    writer.line("guard let object = errors.object(json, at: location) else { return nil }")
                    writer.line("let path = location.path")
                }
                writer.line("let start = errors.count")
                for property in shape.properties {
                    var arguments = [
                        "\(types.nonOptional(property.type)).self", SwiftNames.literal(property.jsonName), "in: object",
                        "at: path",
                    ]
                    if property.isPatch {
                        // Absent, null and a value stay apart.
                        if let rule = rules[property.name] { arguments.append("rules: Self.\(rule)") }
                        writer.line("let _\(property.name) = errors.patchField(\(arguments.joined(separator: ", ")))")
                        continue
                    }
                    if property.required { arguments.append("required: true") }
                    if property.type.isNullable && property.type.nonNull != .any { arguments.append("nullable: true") }
                    if let rule = rules[property.name] { arguments.append("rules: Self.\(rule)") }
                    let fallback = defaultLiteral(property).map { " ?? \($0)" } ?? ""
                    writer.line("let _\(property.name) = errors.field(\(arguments.joined(separator: ", ")))\(fallback)")
                }
                for composition in shape.compositions {
                    // The same object must also be one of the alternatives.
                    writer.line(
                        "let _\(composition.name) = \(types.nonOptional(composition.type)).decode(json, at: location, errors: &errors)")
                }
                if shape.closed {
                    let allowed = shape.properties.map { SwiftNames.literal($0.jsonName) }.joined(separator: ", ")
                    writer.line("errors.forbidExtraFields(object, allowed: [\(allowed)], at: path)")
                } else if !forbidden.isEmpty {
                    // Properties whose schema is `false`: no type holds them, no valid object has them.
                    writer.line("errors.forbidFields(object, [\(forbidden.map(SwiftNames.literal).joined(separator: ", "))], at: path)")
                }
                // Locals carry a `_` so no property can shadow `json`, `errors`, `object` or `path`.
                var unwrapped = shape.properties.filter { isUnwrapped($0) }.map { "let _\($0.name)" }
                for composition in shape.compositions { unwrapped.append("let _\(composition.name)") }
                writer.line(
                    "guard errors.count == start\(unwrapped.isEmpty ? "" : ", " + unwrapped.joined(separator: ", ")) else { return nil }"
                )
                var initArguments = shape.properties.map { property in
                    "\(SwiftNames.label(property.name)): _\(property.name)"
                }
                for composition in shape.compositions {
                    initArguments.append("\(SwiftNames.label(composition.name)): _\(composition.name)")
                }
                if shape.additionalProperties != nil { initArguments.append("additionalProperties: [:]") }
                writer.line("self.init(\(initArguments.joined(separator: ", ")))")
            }
        }
    }

    /// Required, non-null properties are non-optional in the struct, so they are unwrapped.
    private func isUnwrapped(_ property: Property) -> Bool {
        property.required && !types.propertyType(property).hasSuffix("?")
    }

    func emitUnion(_ name: String, _ shape: UnionShape, into writer: inout CodeWriter) {
        writer.block("extension \(name): SchemaValue {") { writer in
            writer.block(
                "public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> \(name)? {"
            ) { writer in
                let mapped = shape.variants.filter { !$0.discriminatorValues.isEmpty }
                if let discriminator = shape.discriminator, !mapped.isEmpty {
                    emitTaggedDecode(discriminator, mapped, into: &writer)
                    return
                }
                // The first variant that validates wins; the last one's errors explain a failure.
                writer.line("var attempt = ValidationErrors()")
                for (offset, variant) in shape.variants.enumerated() {
                    if offset > 0 { writer.line("attempt = ValidationErrors()") }
                    let decode = "\(types.nonOptional(variant.type)).decode(value, at: location, errors: &attempt)"
                    let identifier = SwiftNames.identifier(variant.name)
                    if let rule = ruleExpression(variant.type, variant.constraints) {
                        writer.block("if let variant = \(decode) {") { writer in
                            writer.line("\(rule).check(variant, input: value, at: location, errors: &attempt)")
                            writer.line("if attempt.isEmpty { return .\(identifier)(variant) }")
                        }
                    } else {
                        writer.line("if let variant = \(decode) { return .\(identifier)(variant) }")
                    }
                }
                writer.line("errors.errors += attempt.errors")
                writer.line("return nil")
            }
        }
    }

    /// A discriminated union is read as pydantic reads a tagged union: the tag picks the one
    /// variant to validate, so its errors (not another variant's) explain a failure, and the
    /// server and `Codable` pick the same variant.
    private func emitTaggedDecode(_ discriminator: String, _ variants: [UnionShape.Variant], into writer: inout CodeWriter) {
        let key = SwiftNames.literal(discriminator)
        let expected = variants.flatMap(\.discriminatorValues).map { "'\($0)'" }.joined(separator: ", ")
        writer.line("guard let object = errors.object(value, at: location) else { return nil }")
        writer.block("guard case .string(let tag)? = object[\(key)] else {") { writer in
            writer.line("errors.record(.unionTagNotFound(\(key)), at: location, input: value)")
            writer.line("return nil")
        }
        writer.cases("switch tag {") { writer in
            for variant in variants {
                let labels = variant.discriminatorValues.map(SwiftNames.literal).joined(separator: ", ")
                writer.line(
                    "case \(labels): return \(types.nonOptional(variant.type)).decode(value, at: location, errors: &errors).map { .\(SwiftNames.identifier(variant.name))($0) }"
                )
            }
            writer.line("default:")
            writer.line(
                "    errors.record(.unionTagInvalid(\(key), tag: tag, expected: \(SwiftNames.literal(expected))), at: location, input: value)"
            )
            writer.line("    return nil")
        }
    }

    /// The constraint object for a value of `type`, or nil when the schema states none.
    func ruleExpression(_ stated: TypeRef, _ statedConstraints: Constraints) -> String? {
        let (type, constraints) = model.resolvingAliases(stated, statedConstraints)
        switch type.nonNull {
        case .primitive(let primitive):
            switch primitive {
            case .string, .date:
                var arguments: [String] = []
                if let minimum = constraints.minLength, minimum > 0 { arguments.append("minLength: \(minimum)") }
                if let maximum = constraints.maxLength { arguments.append("maxLength: \(maximum)") }
                if let pattern = constraints.pattern { arguments.append("pattern: Pattern(\(SwiftNames.literal(pattern)))") }
                let format: String?
                if primitive == .date {
                    format = "date"
                } else {
                    switch constraints.format {
                    case "email": format = "email"
                    case "uri", "url": format = "uri"
                    default: format = nil
                    }
                }
                if let format { arguments.append("format: .\(format)") }
                return arguments.isEmpty ? nil : "StringRules(\(arguments.joined(separator: ", ")))"
            case .integer, .int32, .int64, .number, .double, .float:
                let swiftType = SwiftTypes.name(primitive)
                let integral = [TypeRef.Primitive.integer, .int32, .int64].contains(primitive)
                func literal(_ value: Double) -> String? {
                    if integral {
                        guard value == value.rounded(), abs(value) < 9e18 else { return nil }
                        return String(Int(value))
                    }
                    return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
                }
                var arguments: [String] = []
                for (label, value) in [
                    ("minimum", constraints.minimum), ("maximum", constraints.maximum),
                    ("exclusiveMinimum", constraints.exclusiveMinimum), ("exclusiveMaximum", constraints.exclusiveMaximum),
                    ("multipleOf", constraints.multipleOf),
                ] {
                    if let value, let text = literal(value) { arguments.append("\(label): \(text)") }
                }
                return arguments.isEmpty ? nil : "NumberRules<\(swiftType)>(\(arguments.joined(separator: ", ")))"
            default:
                return nil
            }
        case .array(let element):
            var arguments: [String] = []
            if let minimum = constraints.minItems, minimum > 0 { arguments.append("minItems: \(minimum)") }
            if let maximum = constraints.maxItems { arguments.append("maxItems: \(maximum)") }
            if constraints.uniqueItems, isHashableElement(element) { arguments.append("uniqueItems: true") }
            if !element.isNullable, let itemRule = ruleExpression(element, constraints.items?.value ?? Constraints()) {
                arguments.append("items: \(itemRule)")
            }
            if let tuple = constraints.tuple?.value {
                // Each position read and checked where it stands (the elements are JSON values).
                let positions = tuple.positions.map { positionRule($0.type, $0.constraints) ?? "nil" }
                if positions.contains(where: { $0 != "nil" }) {
                    arguments.append("prefixItems: [\(positions.joined(separator: ", "))]")
                }
                if let rest = tuple.rest, let rule = positionRule(rest, tuple.restConstraints) {
                    arguments.append("additionalItems: \(rule)")
                }
            }
            return arguments.isEmpty ? nil : "ArrayRules<\(types.name(element))>(\(arguments.joined(separator: ", ")))"
        default:
            return nil
        }
    }

    /// `PositionRule(String.self, rules: …)` for a tuple's position or rest: the element read as
    /// its type (a named type through its own `SchemaValue` validator, which request
    /// reachability generates) and held to the position's rules; nil for any value.
    private func positionRule(_ type: TypeRef, _ constraints: Constraints) -> String? {
        if case .any = type.nonNull { return nil }
        var arguments = ["\(types.nonOptional(type)).self"]
        if type.isNullable { arguments.append("nullable: true") }
        if let rule = ruleExpression(type.nonNull, constraints) { arguments.append("rules: \(rule)") }
        return "PositionRule(\(arguments.joined(separator: ", ")))"
    }

    private func isHashableElement(_ type: TypeRef) -> Bool {
        if case .primitive = type.nonNull { return true }
        return false
    }

    /// Defaults the schema states, filled in when the field is absent as pydantic does (never in
    /// a partial update, whose absent fields must stay absent).
    private func defaultLiteral(_ property: Property) -> String? {
        property.type.isNullable ? nil : types.appliedDefault(property)
    }

    static func literal(_ value: JSONValue, for type: TypeRef) -> String? {
        switch (type.nonNull, value) {
        case (.primitive(.string), .string(let text)), (.primitive(.date), .string(let text)): return SwiftNames.literal(text)
        case (.primitive(.boolean), .bool(let flag)): return flag ? "true" : "false"
        case (.primitive(.uuid), .string(let text)):
            // Checked while generating (`FormattedDefault`): the `!` cannot fail.
            return FormattedDefault.uuid(text).map { "UUID(uuidString: \(SwiftNames.literal($0)))!" }
        case (.primitive(.dateTime), .string(let text)):
            return FormattedDefault.dateTimeSeconds(text).map { "Date(timeIntervalSince1970: \($0))" }
        case (.primitive(let primitive), .integer(let number))
        where [TypeRef.Primitive.integer, .int32, .int64, .number, .double, .float].contains(primitive):
            return String(number)
        case (.primitive(let primitive), .number(let number))
        where [TypeRef.Primitive.number, .double, .float].contains(primitive):
            return number.isFinite ? String(number) : nil
        case (.array(let element), .array(let items)):
            let literals = items.map { literal($0, for: element) }
            guard !literals.contains(where: { $0 == nil }) else { return nil }
            return "[" + literals.compactMap { $0 }.joined(separator: ", ") + "]"
        default: return nil
        }
    }
}
