import OpenAPI

/// Writes each operation group's service protocol and route registration, and
/// `registerAPIRoutes`, which registers every group and the 405 answers.
struct RouteEmitter {
    let model: APIModel

    static func protocolName(_ group: String) -> String { "\(group)API" }

    func emitProtocol(_ group: String, _ operations: [APIOperation], into writer: inout CodeWriter) {
        let name = Self.protocolName(group)
        writer.line("/// The operations tagged `\(group)`; the app implements them.")
        writer.block("public protocol \(name): Sendable {") { writer in
            for operation in operations {
                writer.line("/// \(operation.method.rawValue.uppercased()) \(operation.path)")
                writer.line(
                    "func \(SwiftNames.identifier(operation.name))(_ input: Operations.\(SwiftNames.identifier(operation.namespace)).Input, context: OperationContext) async throws -> Operations.\(SwiftNames.identifier(operation.namespace)).Output"
                )
            }
        }
        writer.line()
        writer.block("extension \(name) {") { writer in
            writer.line("/// Adds the group's operations to `router` (made by `APIApplication.makeRouter`, so the")
            writer.line("/// error, request-id and CORS middlewares apply).")
            writer.line("public func registerRoutes<Context: RequestContext>(")
            writer.line("    on router: Router<Context>, security: some SecurityHandler, configuration: RouteConfiguration = .init()")
            writer.line(") {")
            writer.indented { writer in
                for operation in operations {
                    writer.line(
                        "router.on(\(SwiftNames.literal(operation.path)), method: \(methodLiteral(operation.method))) { request, context in"
                    )
                    writer.line(
                        "    try await Operations.\(SwiftNames.identifier(operation.namespace)).respond(to: request, context: context, service: self, security: security, configuration: configuration)"
                    )
                    writer.line("}")
                }
            }
            writer.line("}")
        }
    }

    func emitRegisterAll(into writer: inout CodeWriter) {
        writer.line("/// Registers every operation on `router`, then makes each path answer 405 (with `Allow`) for")
        writer.line("/// the methods it does not have, as FastAPI does.")
        writer.line("public func registerAPIRoutes<Context: RequestContext>(")
        writer.line("    on router: Router<Context>,")
        for group in model.groups {
            writer.line("    \(SwiftNames.identifier(Naming.memberName(group))): some \(Self.protocolName(group)),")
        }
        writer.line("    security: some SecurityHandler,")
        writer.line("    configuration: RouteConfiguration = .init()")
        writer.line(") {")
        writer.indented { writer in
            for group in model.groups {
                writer.line(
                    "\(SwiftNames.identifier(Naming.memberName(group))).registerRoutes(on: router, security: security, configuration: configuration)"
                )
            }
            var methodsByPath: [(String, [HTTPMethod])] = []
            for operation in model.operations {
                if let index = methodsByPath.firstIndex(where: { $0.0 == operation.path }) {
                    methodsByPath[index].1.append(operation.method)
                } else {
                    methodsByPath.append((operation.path, [operation.method]))
                }
            }
            for (path, methods) in methodsByPath {
                let list = methods.map(methodLiteral).joined(separator: ", ")
                writer.line("router.addMethodNotAllowed(\(SwiftNames.literal(path)), allowing: [\(list)])")
            }
        }
        writer.line("}")
    }

    private func methodLiteral(_ method: HTTPMethod) -> String {
        switch method {
        case .query: "HTTPRequest.Method(\"QUERY\")!"
        default: ".\(method.rawValue)"
        }
    }
}
