import ArgumentParser
import CodeGen
import OpenAPI

/// Shows the API model the emitters see: the names chosen, the hoisted types, each operation.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Prints the named types and operations the generator derives from the document."
    )

    @Option(name: .long, help: "The OpenAPI document to read.")
    var spec = "spec/openapi.yaml"

    func run() throws {
        let loaded = SpecLoader().load(path: spec)
        guard !loaded.hasErrors else {
            for diagnostic in loaded.diagnostics.sorted where diagnostic.severity == .error { printError(diagnostic.description) }
            throw ExitCode.failure
        }
        let model = APIModel.build(from: loaded)
        for type in model.types {
            let identity = "  [\(type.pointer ?? type.location.description)]"
            var flags: [String] = []
            if type.isInternal { flags.append("internal") }
            if type.isOpenEnum { flags.append("open") }
            if type.isPart { flags.append("part") }
            if model.serverSentTypes.contains(type.name) { flags.append("sent by the server only") }
            let tail = (flags.isEmpty ? "" : " (" + flags.joined(separator: ", ") + ")") + identity
            switch type.kind {
            case .object(let shape):
                print("object \(type.name)\(tail)")
                for property in shape.properties {
                    var notes: [String] = []
                    if property.isPatch { notes.append("absent | null | value") }
                    if property.appliesDefault, let value = property.defaultValue { notes.append("default \(value.jsonText)") }
                    if property.readOnly { notes.append("readOnly") }
                    if property.writeOnly { notes.append("writeOnly") }
                    if let tuple = property.constraints.tuple?.value { notes.append(describe(tuple)) }
                    print(
                        "  \(property.name) (\(property.jsonName))\(property.required ? "" : "?"): \(describe(property.type))"
                            + (notes.isEmpty ? "" : "  -- " + notes.joined(separator: ", ")))
                }
                for key in shape.forbiddenProperties { print("  (\(key)): never  -- schema false") }
                for composition in shape.compositions { print("  + \(composition.name): \(describe(composition.type))") }
                if let extra = shape.additionalProperties { print("  [other keys]: \(describe(extra))") }
            case .stringEnum(let values): print("enum \(type.name): \(values.joined(separator: " | "))\(tail)")
            case .integerEnum(let values): print("enum \(type.name): \(values.map(String.init).joined(separator: " | "))\(tail)")
            case .union(let shape):
                print("union \(type.name)\(shape.discriminator.map { " by \($0)" } ?? "")\(shape.isAnyOf ? " (anyOf)" : "")\(tail)")
                for variant in shape.variants {
                    let values = variant.discriminatorValues.isEmpty ? "" : " when " + variant.discriminatorValues.joined(separator: ", ")
                    print("  \(variant.name): \(describe(variant.type))\(values)")
                }
            case .alias(let target, let constraints):
                let tuple = constraints.tuple.map { "  -- " + describe($0.value) } ?? ""
                print("alias \(type.name) = \(describe(target))\(tuple)\(tail)")
            }
        }
        for table in model.tables { printTable(table) }
        for operation in model.operations + model.webhooks {
            let kind = operation.group == "Webhooks" && model.webhooks.contains { $0.path == operation.path } ? "webhook " : ""
            print("\(kind)\(operation.group).\(operation.namespace): \(operation.method.rawValue.uppercased()) \(operation.path)")
            for parameter in operation.parameters {
                print(
                    "  \(parameter.location.rawValue) \(parameter.propertyName)\(parameter.required ? "" : "?"): \(describe(parameter.type))"
                )
            }
            for content in operation.requestBody?.contents ?? [] { print("  body \(content.contentType): \(describe(content.type))") }
            for response in operation.responses {
                print(
                    "  \(response.caseName): " + response.contents.map { "\($0.contentType) \(describe($0.type))" }.joined(separator: ", "))
                for header in response.headers {
                    print("    header \(header.name)\(header.required ? "" : "?"): \(describe(header.type))")
                }
            }
        }
        for channel in model.webSockets {
            print("websocket \(channel.path): \(channel.messageType ?? "Any")  [\(channel.location)]")
        }
        for diagnostic in model.diagnostics { printError(diagnostic.description) }
    }

    /// `tuple [string, number?, ...Any]`: the positions (optional past `minItems`) and the rest.
    private func describe(_ tuple: TupleShape) -> String {
        var parts = tuple.positions.enumerated().map { offset, position in
            describe(position.type) + (offset < tuple.requiredCount ? "" : "?")
        }
        if let rest = tuple.rest { parts.append("..." + describe(rest)) }
        return "tuple [" + parts.joined(separator: ", ") + "]"
    }

    /// A table as the migrations see it, with the row type it decodes into.
    private func printTable(_ table: SQLTable) {
        let location = table.location.map { "  [\($0)]" } ?? ""
        print("table \(table.name)\(table.typeName.map { " (\($0))" } ?? "")\(location)")
        for column in table.columns {
            var parts = [column.type]
            if column.isNotNull { parts.append("NOT NULL") }
            if let expression = column.defaultExpression { parts.append("DEFAULT \(expression)") }
            if table.primaryKey.contains(column.name) { parts.append("PRIMARY KEY") }
            if column.isUnique { parts.append("UNIQUE") }
            if let reference = column.reference { parts.append("REFERENCES \(reference.table)(\(reference.column))") }
            if let check = column.check { parts.append("CHECK (\(check))") }
            print("  \(column.name) " + parts.joined(separator: " "))
        }
        for index in table.indexes {
            let columns = index.columns.map { index.descending.contains($0) ? "\($0) DESC" : $0 }.joined(separator: ", ")
            let predicate = index.predicate.map { " WHERE \($0)" } ?? ""
            print("  \(index.isUnique ? "unique index" : "index") \(index.name) (\(columns))\(predicate)")
        }
    }

    private func describe(_ type: TypeRef) -> String {
        switch type {
        case .named(let name): name
        case .primitive(let primitive): primitive.rawValue
        case .array(let element): "[\(describe(element))]"
        case .dictionary(let value): "[String: \(describe(value))]"
        case .nullable(let inner): describe(inner) + "?"
        case .any: "Any"
        }
    }
}
