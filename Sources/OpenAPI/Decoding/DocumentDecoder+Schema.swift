extension DocumentDecoder {
    func schema(_ id: NodeID) -> Schema {
        let slot = schemaSlots[Int(id.file)][Int(id.node)]
        if slot > 0 { return schemas[Int(slot) - 1] }
        let schema = Schema(location: location(id))
        schemas.append(schema)
        schemaSlots[Int(id.file)][Int(id.node)] = UInt32(schemas.count)
        switch kind(id) {
        case .scalar:
            if case .bool(let value) = scalarValue(id), version >= .v3_1 {
                schema.booleanValue = value
            } else {
                error("a schema must be a mapping\(version >= .v3_1 ? " or a boolean" : ""), not \(describe(id))", at: id)
            }
            return schema
        case .sequence:
            error("a schema must be a mapping, not a list", at: id)
            return schema
        case .mapping:
            break
        }
        var exclusiveMinimumFlag = false
        var exclusiveMaximumFlag = false
        let tree = tree(id)
        var refNode: NodeID?
        schema.extensions = fields(of: id, in: "a schema", keywords: SchemaKeyword.table) { keyword, value in
            switch keyword {
            case .ref:
                refNode = value
                schema.ref = reference(value, as: .schema)
            case .type: schema.types = types(value)
            case .nullable:
                schema.nullable = bool(value, "'nullable'") ?? false
                if version >= .v3_1 {
                    warning("'nullable' is OpenAPI 3.0; in 3.1 add \"null\" to 'type'", at: value)
                }
            case .format: schema.format = string(value, "'format'")
            case .title: schema.title = string(value, "'title'")
            case .description: schema.description = string(value, "'description'")
            case .defaultValue: schema.defaultValue = json(value)
            case .examples:
                if kind(value) == .sequence {
                    schema.examples = items(of: value, in: "'examples'").map(json)
                } else {
                    schema.examples = [json(value)]
                }
            case .enumValues:
                schema.enumValues = items(of: value, in: "'enum'").map(json)
            case .constValue: schema.constValue = json(value)
            case .properties:
                for entry in entries(of: value, in: "'properties'") {
                    schema.properties[entry.key] = self.schema(entry.value)
                }
            case .required:
                guard kind(value) == .sequence else {
                    error("'required' must be a list of property names, not \(describe(value))", at: value)
                    return true
                }
                schema.required = strings(value, "'required'")
            case .additionalProperties:
                if kind(value) == .scalar, case .bool(let allowed) = scalarValue(value) {
                    schema.additionalProperties = .allowed(allowed)
                } else {
                    schema.additionalProperties = .schema(self.schema(value))
                }
            case .patternProperties:
                for entry in entries(of: value, in: "'patternProperties'") {
                    schema.patternProperties[entry.key] = self.schema(entry.value)
                }
            case .propertyNames: schema.propertyNames = self.schema(value)
            case .minProperties: schema.minProperties = nonNegative(value, "'minProperties'")
            case .maxProperties: schema.maxProperties = nonNegative(value, "'maxProperties'")
            case .items:
                if kind(value) == .sequence {
                    // Draft 4's tuple form; 3.1 spells it prefixItems.
                    schema.prefixItems = items(of: value, in: "'items'").map(self.schema)
                } else {
                    schema.items = self.schema(value)
                }
            case .prefixItems: schema.prefixItems = items(of: value, in: "'prefixItems'").map(self.schema)
            case .contains: schema.contains = self.schema(value)
            case .minItems: schema.minItems = nonNegative(value, "'minItems'")
            case .maxItems: schema.maxItems = nonNegative(value, "'maxItems'")
            case .uniqueItems: schema.uniqueItems = bool(value, "'uniqueItems'") ?? false
            case .allOf: schema.allOf = subschemas(value, "allOf")
            case .oneOf: schema.oneOf = subschemas(value, "oneOf")
            case .anyOf: schema.anyOf = subschemas(value, "anyOf")
            case .not: schema.not = self.schema(value)
            case .discriminator: schema.discriminator = discriminator(value)
            case .minLength: schema.minLength = nonNegative(value, "'minLength'")
            case .maxLength: schema.maxLength = nonNegative(value, "'maxLength'")
            case .pattern: schema.pattern = string(value, "'pattern'")
            case .contentEncoding: schema.contentEncoding = string(value, "'contentEncoding'")
            case .contentMediaType: schema.contentMediaType = string(value, "'contentMediaType'")
            case .minimum: schema.minimum = number(value, "'minimum'")
            case .maximum: schema.maximum = number(value, "'maximum'")
            case .exclusiveMinimum:
                if kind(value) == .scalar, case .bool(let flag) = scalarValue(value) {
                    exclusiveMinimumFlag = flag
                } else {
                    schema.exclusiveMinimum = number(value, "'exclusiveMinimum'")
                }
            case .exclusiveMaximum:
                if kind(value) == .scalar, case .bool(let flag) = scalarValue(value) {
                    exclusiveMaximumFlag = flag
                } else {
                    schema.exclusiveMaximum = number(value, "'exclusiveMaximum'")
                }
            case .multipleOf:
                schema.multipleOf = number(value, "'multipleOf'")
                if let divisor = schema.multipleOf, divisor <= 0 { error("'multipleOf' must be greater than 0", at: value) }
            case .readOnly: schema.readOnly = bool(value, "'readOnly'") ?? false
            case .writeOnly: schema.writeOnly = bool(value, "'writeOnly'") ?? false
            case .deprecated: schema.deprecated = bool(value, "'deprecated'") ?? false
            case .defs:
                for entry in entries(of: value, in: "'$defs'") { schema.defs[entry.key] = self.schema(entry.value) }
            case .example: schema.examples.append(json(value))
            case .ignored: break
            }
            return true
        }
        // 3.0's boolean exclusive bounds move onto the bound itself.
        if exclusiveMinimumFlag, let minimum = schema.minimum {
            schema.exclusiveMinimum = minimum
            schema.minimum = nil
        }
        if exclusiveMaximumFlag, let maximum = schema.maximum {
            schema.exclusiveMaximum = maximum
            schema.maximum = nil
        }
        if let refNode, version == .v3_0, tree.count(id.node) > 1 {
            let siblings = tree.pairs(id.node).map { tree.string($0.key) }.filter {
                $0 != "$ref" && !$0.hasPrefix("x-") && $0 != "description"
            }
            if !siblings.isEmpty {
                warning("OpenAPI 3.0 ignores keywords beside '$ref' (\(siblings.joined(separator: ", ")))", at: refNode)
            }
        }
        return schema
    }

    private static let jsonTypes = KeywordTable(Schema.JSONType.allCases.map { ($0.rawValue, $0) })

    private func types(_ id: NodeID) -> [Schema.JSONType]? {
        func one(_ node: NodeID) -> Schema.JSONType? {
            // Nearly every schema has a type: the common spellings skip building a String.
            let tree = tree(node)
            if tree.kind(node.node) == .scalar, let type = Self.jsonTypes.keyword(tree.bytes(node.node)), type != .null {
                return type
            }
            guard let text = string(node, "'type'") else { return nil }
            guard let type = Schema.JSONType(rawValue: text) else {
                error(
                    "unknown type '\(text)'; expected one of \(Schema.JSONType.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: node)
                return nil
            }
            if type == .null && version == .v3_0 {
                warning("type 'null' is OpenAPI 3.1; 3.0 uses 'nullable: true'", at: node)
            }
            return type
        }
        if kind(id) == .sequence {
            if version == .v3_0 { warning("a list of types is OpenAPI 3.1; 3.0 takes one type", at: id) }
            return items(of: id, in: "'type'").compactMap(one)
        }
        return one(id).map { [$0] }
    }

    private func subschemas(_ id: NodeID, _ keyword: String) -> [Schema]? {
        let list = items(of: id, in: "'\(keyword)'")
        if list.isEmpty && kind(id) == .sequence { error("'\(keyword)' must not be empty", at: id) }
        return list.map(schema)
    }

    private func discriminator(_ id: NodeID) -> Schema.Discriminator? {
        var result = Schema.Discriminator(propertyName: "", mapping: OrderedMap(), location: location(id))
        var sawName = false
        _ = fields(of: id, in: "a discriminator") { key, value in
            switch key {
            case "propertyName":
                sawName = true
                result.propertyName = string(value, "'propertyName'") ?? ""
            case "mapping":
                for entry in entries(of: value, in: "'mapping'") {
                    guard let target = string(entry.value, "a discriminator mapping") else { continue }
                    // A bare name means a component schema of the same document.
                    let raw = target.contains("#") || target.contains("/") ? target : "#/components/schemas/\(target)"
                    if let reference = makeReference(raw, at: entry.value) {
                        pendingReferences.append((reference, .schema))
                        result.mapping[entry.key] = reference
                    }
                }
            case "defaultMapping": break
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawName { error("a discriminator needs a 'propertyName'", at: id) }
        return result
    }
}
