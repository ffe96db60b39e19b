import OpenAPI

/// `specgen scaffold --tag NAME`: the first version of a hand-written service, a type that
/// conforms to the group's generated protocol with one method per operation, each answering
/// 501 until it is written. It compiles as it stands, so a new tag's routes can be registered
/// (and its types used) before any of them is implemented; the caller never overwrites it.
public enum ServiceScaffold {
    public struct Options: Sendable {
        /// The module holding the generated code (`API`), imported first; empty when the
        /// service lives in that module.
        public var module: String
        /// A type the service keeps as `app` and takes in `init(_:)` (`AppDependencies`).
        public var dependencies: String?

        public init(module: String = "API", dependencies: String? = nil) {
            self.module = module
            self.dependencies = dependencies
        }
    }

    /// The group `tag` names, matched as the generated protocol's group or any operation's
    /// tag, ignoring case; `nil` when none does.
    public static func group(named tag: String, in model: APIModel) -> String? {
        let wanted = tag.lowercased()
        if let group = model.groups.first(where: { $0.lowercased() == wanted }) { return group }
        return model.operations.first { $0.tags.contains { $0.lowercased() == wanted } }?.group
    }

    /// The service type's name for `group`: `TagsService`.
    public static func typeName(_ group: String) -> String { group + "Service" }

    /// The file's text, or `nil` when the model has no such group.
    public static func render(group: String, model: APIModel, options: Options = Options()) -> String? {
        let operations = model.operations.filter { $0.group == group }
        guard !operations.isEmpty else { return nil }
        var writer = CodeWriter()
        if !options.module.isEmpty { writer.line("import \(options.module)") }
        writer.line("import ServerRuntime")
        writer.line()
        writer.line("/// The `\(group)` operations. Written by `specgen scaffold` as a starting point: this file is")
        writer.line("/// yours, and `specgen` never rewrites it. Each method answers 501 until it is implemented.")
        writer.block("public struct \(typeName(group)): \(RouteEmitter.protocolName(group)) {") { writer in
            if let dependencies = options.dependencies {
                writer.line("let app: \(dependencies)")
                writer.line()
                writer.block("public init(_ app: \(dependencies)) {") { writer in
                    writer.line("self.app = app")
                }
            } else {
                writer.line("public init() {}")
            }
            for operation in operations {
                let namespace = "Operations.\(SwiftNames.identifier(operation.namespace))"
                writer.line()
                writer.line("/// \(operation.method.rawValue.uppercased()) \(operation.path)")
                writer.line(
                    "public func \(SwiftNames.identifier(operation.name))(_ input: \(namespace).Input, context: OperationContext) async throws -> \(namespace).Output {"
                )
                writer.indented { writer in
                    writer.line(
                        "throw HTTPError(.notImplemented, detail: \(SwiftNames.literal("\(operation.name) is not implemented yet")))"
                    )
                }
                writer.line("}")
            }
        }
        return writer.text
    }
}
