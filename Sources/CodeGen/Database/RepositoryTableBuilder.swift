import OpenAPI

/// Builds the `RepositoryTable`s of a model: matches each column with its row property and
/// picks the list order and lookups. What a repository cannot offer faithfully is a warning at
/// the table's schema, never a silent gap.
struct RepositoryTableBuilder {
    let model: APIModel
    let types: SwiftTypes
    private(set) var diagnostics: [Diagnostic] = []

    init(model: APIModel, types: SwiftTypes) {
        self.model = model
        self.types = types
    }

    mutating func build() -> [RepositoryTable] {
        var taken = Set(model.types.map(\.name))
        var result: [RepositoryTable] = []
        for table in model.tables {
            guard let rowType = table.typeName, let row = model.type(named: rowType), case .object(let shape) = row.kind
            else { continue }
            let name = Naming.unique(Naming.typeName(table.name) + "Repository", in: &taken)
            if let built = build(table, rowType: rowType, shape: shape, repositoryName: name) { result.append(built) }
        }
        return result
    }

    private mutating func build(
        _ table: SQLTable, rowType: String, shape: ObjectShape, repositoryName: String
    ) -> RepositoryTable? {
        let location = table.location ?? model.documentLocation ?? SourceLocation(file: "", line: 1, column: 1)
        var columns: [RepositoryTable.Column] = []
        for column in table.columns {
            guard let property = shape.properties.first(where: { $0.jsonName == column.name }) else { continue }
            let type = column.type.lowercased()
            columns.append(
                RepositoryTable.Column(
                    name: column.name, property: property.name, swiftType: types.nonOptional(property.type),
                    isNullable: !column.isNotNull, isOptionalInRow: types.propertyType(property).hasSuffix("?"),
                    defaultExpression: column.defaultExpression,
                    isGenerated: type.contains("serial") || type.contains("generated"),
                    isText: type == "text" || type.hasPrefix("varchar") || type.hasPrefix("character varying"),
                    reference: column.reference, binding: ColumnBinding.of(property.type, in: model)))
        }
        // Bytes (`format: byte`/`binary`) are `Data` in Swift and bind as bytea; in a text column
        // they would fail every write, so the column must say bytea.
        for column in table.columns {
            guard let property = shape.properties.first(where: { $0.jsonName == column.name }) else { continue }
            let resolved = model.resolvingAliases(property.type.nonNull, Constraints()).0
            guard resolved == .primitive(.byte) || resolved == .primitive(.binary), column.type.lowercased() != "bytea" else {
                continue
            }
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "no repository generated for table \"\(table.name)\": column \"\(column.name)\" holds bytes "
                        + "(format: byte/binary) in a \(column.type) column; give it x-db-type: bytea",
                    at: column.location ?? location))
            return nil
        }
        // A row property that is no column (`x-db-ignore`) cannot be read back from the table.
        for property in shape.properties
        where property.required && !columns.contains(where: { $0.name == property.jsonName }) {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "no repository generated for table \"\(table.name)\": its row type \(rowType) requires "
                        + "'\(property.jsonName)', which is not a column (x-db-ignore), so rows cannot be read back",
                    at: location))
            return nil
        }
        for composition in shape.compositions {
            diagnostics.append(
                Diagnostic(
                    .warning,
                    "no repository generated for table \"\(table.name)\": its row type \(rowType) has a "
                        + "oneOf/anyOf beside its properties (\(composition.name)), which no column holds",
                    at: location))
            return nil
        }
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let primaryKey = table.primaryKey.compactMap { byName[$0] }
        guard primaryKey.count == table.primaryKey.count, !primaryKey.isEmpty else { return nil }
        let filters = columns.filter { $0.reference != nil }

        var uniqueKeys: [(constraint: String, columns: [RepositoryTable.Column])] = []
        for column in table.columns where column.isUnique {
            if let resolved = byName[column.name] {
                uniqueKeys.append((SQLNaming.unique(table: table.name, column: column.name), [resolved]))
            }
        }
        var indexed: [RepositoryTable.Column] = []
        for index in table.indexes where index.predicate == nil {
            let resolved = index.columns.compactMap { byName[$0] }
            guard resolved.count == index.columns.count else { continue }
            if index.isUnique {
                if !uniqueKeys.contains(where: { $0.columns.map(\.name) == index.columns }) {
                    uniqueKeys.append((index.name, resolved))
                }
            } else if resolved.count == 1, !indexed.contains(where: { $0.name == resolved[0].name }),
                !primaryKey.contains(where: { $0.name == resolved[0].name })
            {
                indexed.append(resolved[0])
            }
        }
        let rowInitOrder = shape.properties.compactMap { property in columns.first { $0.name == property.jsonName } }
        return RepositoryTable(
            table: table, repositoryName: repositoryName, rowType: rowType, columns: columns, rowInitOrder: rowInitOrder,
            primaryKey: primaryKey,
            filters: filters, order: order(table, byName: byName, primaryKey: primaryKey), uniqueKeys: uniqueKeys,
            indexedColumns: indexed)
    }

    /// The first index that, after its leading foreign-key columns (the filters it serves),
    /// sorts by some columns and ends with the primary key, so the order is total and a page is
    /// read from the index; else the primary key.
    private func order(
        _ table: SQLTable, byName: [String: RepositoryTable.Column], primaryKey: [RepositoryTable.Column]
    ) -> [RepositoryTable.OrderColumn] {
        let keyNames = primaryKey.map(\.name)
        for index in table.indexes where index.predicate == nil && !index.isUnique {
            let sorted = Array(index.columns.drop { byName[$0]?.reference != nil })
            guard sorted.count > keyNames.count, Array(sorted.suffix(keyNames.count)) == keyNames,
                sorted.allSatisfy({ byName[$0] != nil })
            else { continue }
            return sorted.compactMap { name in
                byName[name].map { RepositoryTable.OrderColumn(column: $0, descending: index.descending.contains(name)) }
            }
        }
        return primaryKey.map { RepositoryTable.OrderColumn(column: $0, descending: false) }
    }
}
