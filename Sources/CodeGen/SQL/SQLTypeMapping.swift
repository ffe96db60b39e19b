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

    /// The CHECK for an enum: `"status" IN ('open', 'done')`; `nil` when the values are not
    /// all strings or all integers (such an enum is stored as jsonb and checked by the API).
    static func check(column: String, view: SQLSchemaView) -> String? {
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
