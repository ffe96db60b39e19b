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
            switch type.kind {
            case .object(let shape):
                print("object \(type.name)")
                for property in shape.properties {
                    print("  \(property.name) (\(property.jsonName))\(property.required ? "" : "?"): \(describe(property.type))")
                }
            case .stringEnum(let values): print("enum \(type.name): \(values.joined(separator: " | "))")
            case .integerEnum(let values): print("enum \(type.name): \(values.map(String.init).joined(separator: " | "))")
            case .union(let shape):
                print(
                    "union \(type.name)\(shape.discriminator.map { " by \($0)" } ?? ""): "
                        + shape.variants.map { "\($0.name)(\(describe($0.type)))" }.joined(separator: " | "))
            case .alias(let target, _): print("alias \(type.name) = \(describe(target))")
            }
        }
        for operation in model.operations {
            print("\(operation.group).\(operation.name): \(operation.method.rawValue.uppercased()) \(operation.path)")
            for parameter in operation.parameters {
                print(
                    "  \(parameter.location.rawValue) \(parameter.propertyName)\(parameter.required ? "" : "?"): \(describe(parameter.type))"
                )
            }
            for content in operation.requestBody?.contents ?? [] { print("  body \(content.contentType): \(describe(content.type))") }
            for response in operation.responses {
                print(
                    "  \(response.caseName): " + response.contents.map { "\($0.contentType) \(describe($0.type))" }.joined(separator: ", "))
            }
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
