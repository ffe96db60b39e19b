import OpenAPI

/// The design's mapping from JSON Schema to PostgreSQL column types.
///
/// `string` → `text` (`varchar(n)` with `maxLength`), `uuid` → `uuid`, `date-time` →
/// `timestamptz`, `date` → `date`, `integer` → `integer`/`bigint` (`int64`), `number` →
/// `double precision` (`numeric` for `decimal`), `boolean` → `boolean`, string enum → `text`
/// with a CHECK, arrays of scalars → `T[]`, anything else → `jsonb`.
enum SQLTypeMapping {
    /// PostgreSQL's largest `varchar(n)`; beyond it only `text` can hold the value.
    static let maxVarcharLength = 10_485_760

    /// The column type for `view`; `nil` for "anything else", which the caller stores as jsonb.
    static func scalarType(_ view: SQLSchemaView, references: ReferenceTable) -> String? {
        if view.isComposite || !view.properties.isEmpty { return nil }
        guard let type = singleType(view) else { return nil }
        switch type {
        case .string:
            if view.enumValues != nil { return "text" }
            switch view.format {
            case "uuid": return "uuid"
            case "date-time": return "timestamptz"
            case "date": return "date"
            default:
                if let length = view.maxLength, length >= 1, length <= maxVarcharLength { return "varchar(\(length))" }
                return "text"
            }
        case .integer: return view.format == "int64" ? "bigint" : "integer"
        case .number: return view.format == "decimal" ? "numeric" : "double precision"
        case .boolean: return "boolean"
        case .array:
            // Only scalars make a PostgreSQL array; nested arrays and objects stay JSON.
            guard let items = view.items else { return nil }
            let element = SQLSchemaView(items, references: references)
            if singleType(element) == .array { return nil }
            return scalarType(element, references: references).map { $0 + "[]" }
        case .object, .null: return nil
        }
    }

    static func columnType(_ view: SQLSchemaView, references: ReferenceTable) -> String {
        scalarType(view, references: references) ?? "jsonb"
    }

    /// The CHECK of a column: its enum (`"status" IN ('open', 'done')`) and its numeric bounds
    /// (`"priority" >= 0 AND "priority" <= 10`), joined by AND; `nil` when it has neither. An
    /// enum whose values are not all strings or all integers is stored as jsonb and checked by
    /// the API only. Bounds are checked on number and integer columns; an array's item bounds
    /// (`items: {minimum: 0}`) stay with the API, since a CHECK on every element needs a function.
    static func check(column: String, view: SQLSchemaView, type: String) -> String? {
        var parts: [String] = []
        if let values = enumCheck(column: column, view: view) { parts.append(values) }
        if isNumeric(type) { parts += bounds(column: column, view: view) }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    private static func enumCheck(column: String, view: SQLSchemaView) -> String? {
        guard let values = view.enumValues?.filter({ $0 != .null }), !values.isEmpty else { return nil }
        var literals: [String] = []
        for value in values {
            switch value {
            case .string(let text): literals.append(SQLIdentifier.literal(text))
            case .integer(let number): literals.append(String(number))
            default: return nil
            }
        }
        let isText = values.allSatisfy { $0.stringValue != nil }
        let isInteger = values.allSatisfy { if case .integer = $0 { true } else { false } }
        guard isText || isInteger else { return nil }
        return "\(SQLIdentifier.quote(column)) IN (\(literals.joined(separator: ", ")))"
    }

    /// `minimum`, `maximum` and their exclusive forms as comparisons, in that order.
    private static func bounds(column: String, view: SQLSchemaView) -> [String] {
        let name = SQLIdentifier.quote(column)
        var parts: [String] = []
        let comparisons: [(String, Double?)] = [
            (">=", view.minimum), (">", view.exclusiveMinimum), ("<=", view.maximum), ("<", view.exclusiveMaximum),
        ]
        for (operation, bound) in comparisons {
            if let bound, let text = literal(bound) { parts.append("\(name) \(operation) \(text)") }
        }
        return parts
    }

    /// A bound as SQL: `10`, `0.5`, `1e+300` (all numeric constants to PostgreSQL). YAML's
    /// `.inf` bounds nothing, so it adds no comparison.
    private static func literal(_ value: Double) -> String? {
        value.isFinite ? JSONValue.format(value) : nil
    }

    private static func isNumeric(_ type: String) -> Bool {
        let family = SQLTableBuilder.typeFamily(type)
        return family == "integer" || family == "double precision" || family.hasPrefix("numeric")
            || family == "real" || family.hasPrefix("decimal")
    }

    /// The one non-null type the schema has, inferred from `enum` when `type` is missing.
    private static func singleType(_ view: SQLSchemaView) -> Schema.JSONType? {
        if let types = view.types {
            return types.count == 1 ? types[0] : nil
        }
        if let values = view.enumValues?.filter({ $0 != .null }), !values.isEmpty {
            if values.allSatisfy({ $0.stringValue != nil }) { return .string }
            if values.allSatisfy({ if case .integer = $0 { true } else { false } }) { return .integer }
        }
        if view.items != nil { return .array }
        return nil
    }
}
