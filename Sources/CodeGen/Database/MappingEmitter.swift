/// Writes the mappings between a table's rows and the API's models, wherever the model's
/// properties are a subset of the table's columns with the same names and types:
///
/// - `ItemPublic(row)` for a model a response carries (the row's other columns, such as a
///   password hash, stay behind);
/// - `NewRow(create, ownerId: ...)` for a `POST` body, the columns it lacks as parameters;
/// - `Changes(update)` for a `PUT`/`PATCH` body.
///
/// So a field added to the row and to the models flows through without a hand-written line,
/// and a model whose fields do not match simply gets no mapping (the service maps it by hand).
struct MappingEmitter {
    let model: APIModel
    let types: SwiftTypes
    let table: RepositoryTable

    /// Named types a response carries, directly or nested.
    let responseTypes: Set<String>
    /// Types of JSON request bodies by method: `POST` bodies become new rows, `PUT`/`PATCH` changes.
    let createBodies: [String]
    let updateBodies: [String]

    private var rowTypes: Set<String> { Set(model.tables.compactMap(\.typeName)) }

    func emit(into writer: inout CodeWriter) {
        for type in model.types where responseTypes.contains(type.name) && !rowTypes.contains(type.name) {
            guard let shape = candidate(type), let arguments = fromRow(shape) else { continue }
            writer.line()
            writer.block("extension \(type.name) {") { writer in
                writer.line("/// The `\(table.table.name)` row as `\(type.name)` (its other columns stay behind).")
                writer.block("public init(_ row: \(table.rowType)) {") { writer in
                    writer.line("self.init(\(arguments.joined(separator: ", ")))")
                }
            }
        }
        for name in createBodies where !rowTypes.contains(name) {
            guard let type = model.type(named: name), let shape = candidate(type), let mapping = newRow(shape) else {
                continue
            }
            emitBodyMapping(
                into: "NewRow", from: name, doc: "A new row from `\(name)`; the columns it does not have are parameters.",
                extraParameters: mapping.parameters, arguments: mapping.arguments, texts: mapping.texts, writer: &writer)
        }
        for name in updateBodies where !rowTypes.contains(name) {
            guard let type = model.type(named: name), let shape = candidate(type), let mapping = changes(shape) else {
                continue
            }
            emitBodyMapping(
                into: "Changes", from: name, doc: "The changes `\(name)` asks for; what it leaves out stays as it is.",
                extraParameters: [], arguments: mapping.arguments, texts: mapping.texts, writer: &writer)
        }
    }

    /// `extension ItemRepository.NewRow { public init(_ value: ItemCreate, ...) throws(ValidationErrors) }`.
    private func emitBodyMapping(
        into nested: String, from body: String, doc: String, extraParameters: [String], arguments: [String],
        texts: [(value: String, jsonName: String)], writer: inout CodeWriter
    ) {
        writer.line()
        writer.block("extension \(table.repositoryName).\(nested) {") { writer in
            writer.line("/// \(doc)")
            let parameters = ["_ value: \(body)"] + extraParameters
            let throwing = texts.isEmpty ? "" : " throws(ValidationErrors)"
            writer.block("public init(\(parameters.joined(separator: ", ")))\(throwing) {") { writer in
                emitTextCheck(texts, into: &writer)
                writer.line("self.init(\(arguments.joined(separator: ", ")))")
            }
        }
    }

    /// Text columns cannot store U+0000: a body carrying one is refused with a 422 at its field
    /// (the mappings read request bodies, so the field is under `body`) before anything is written.
    private func emitTextCheck(_ texts: [(value: String, jsonName: String)], into writer: inout CodeWriter) {
        guard !texts.isEmpty else { return }
        let fields = texts.map { "(\($0.value), [\"body\", \(SwiftNames.literal($0.jsonName))])" }
        writer.line("try ServerRuntime.StoredText.check([\(fields.joined(separator: ", "))])")
    }

    /// An object with properties and nothing a column could not hold.
    private func candidate(_ type: NamedType) -> ObjectShape? {
        guard case .object(let shape) = type.kind, !shape.properties.isEmpty, shape.compositions.isEmpty else {
            return nil
        }
        return shape
    }

    private func rowProperty(_ jsonName: String) -> Property? {
        guard let row = model.type(named: table.rowType), case .object(let shape) = row.kind else { return nil }
        return shape.properties.first { $0.jsonName == jsonName }
    }

    /// The arguments of `Model.init` from `row`, when every property is a column of the same type
    /// (a model may be optional where the row is not).
    private func fromRow(_ shape: ObjectShape) -> [String]? {
        var arguments: [String] = []
        for property in shape.properties {
            guard !property.isPatch, table.column(named: property.jsonName) != nil,
                let source = rowProperty(property.jsonName)
            else { return nil }
            let target = types.propertyType(property)
            let given = types.propertyType(source)
            guard target == given || target == given + "?" else { return nil }
            arguments.append("\(SwiftNames.label(property.name)): row.\(SwiftNames.identifier(source.name))")
        }
        return arguments
    }

    /// `NewRow.init`'s arguments from the model and the parameters for the columns it lacks
    /// that have neither a default nor NULL to fall back on.
    private func newRow(
        _ shape: ObjectShape
    ) -> (parameters: [String], arguments: [String], texts: [(value: String, jsonName: String)])? {
        var given: [String: String] = [:]
        var texts: [(value: String, jsonName: String)] = []
        for property in shape.properties {
            guard !property.isPatch, let column = table.column(named: property.jsonName), !column.isGenerated else {
                return nil
            }
            let source = types.propertyType(property)
            let optional = column.isNullable || column.defaultExpression != nil
            let target = column.swiftType + (optional ? "?" : "")
            guard source == target || source + "?" == target else { return nil }
            given[column.name] = "value.\(SwiftNames.identifier(property.name))"
            if column.isText && column.swiftType == "String" {
                texts.append(("value.\(SwiftNames.identifier(property.name))", property.jsonName))
            }
        }
        var parameters: [String] = []
        var arguments: [String] = []
        for column in table.columns where !column.isGenerated {
            let label = SwiftNames.label(column.property)
            if let value = given[column.name] {
                arguments.append("\(label): \(value)")
            } else if !column.isNullable && column.defaultExpression == nil {
                parameters.append("\(label): \(column.swiftType)")
                arguments.append("\(label): \(SwiftNames.identifier(column.property))")
            }
        }
        return (parameters, arguments, texts)
    }

    /// `Changes.init`'s arguments: an optional or `Patch` field of the model becomes the column's
    /// change (nil and absent leave it; `null` clears a nullable column).
    private func changes(_ shape: ObjectShape) -> (arguments: [String], texts: [(value: String, jsonName: String)])? {
        var byColumn: [String: String] = [:]
        var texts: [(value: String, jsonName: String)] = []
        for property in shape.properties {
            guard let column = table.column(named: property.jsonName), !column.isGenerated,
                !table.primaryKey.contains(where: { $0.name == column.name })
            else { return nil }
            let value = "value.\(SwiftNames.identifier(property.name))"
            let label = SwiftNames.label(column.property)
            let type = types.propertyType(property)
            let base = column.swiftType
            let expression: String
            switch (type, column.isNullable) {
            case ("Patch<\(base)>", true): expression = value
            // A `null` for a NOT NULL column changes nothing: the column cannot hold it.
            case ("Patch<\(base)>", false): expression = "\(value).value"
            case ("\(base)?", true): expression = "\(value).map { .value($0) } ?? .absent"
            case ("\(base)?", false): expression = value
            case (base, true): expression = ".value(\(value))"
            case (base, false): expression = value
            default: return nil
            }
            byColumn[column.name] = "\(label): \(expression)"
            if column.isText && base == "String" {
                texts.append((type.hasPrefix("Patch<") ? "\(value).value" : value, property.jsonName))
            }
        }
        // In the order of `Changes.init`'s parameters.
        return (table.columns.compactMap { byColumn[$0.name] }, texts)
    }
}
