import OpenAPI

/// Writes one operation's namespace: its `Input`, its `Output` with a case per documented
/// response, and `respond`, the handler its route calls (authenticate, read and validate every
/// input at once, call the service, encode the answer).
struct OperationEmitter {
    let model: APIModel
    let types: SwiftTypes
    let validation: ValidationEmitter

    init(model: APIModel, types: SwiftTypes) {
        self.model = model
        self.types = types
        validation = ValidationEmitter(types: types, model: model)
    }

    func emit(_ operation: APIOperation, protocolName: String, into writer: inout CodeWriter) {
        writer.line("// \(operation.method.rawValue.uppercased()) \(operation.path)")
        writer.block("extension \(Self.namespace) {") { writer in
            emitNamespace(operation, protocolName: protocolName, into: &writer)
        }
        writer.line()
        emitResponseGenerator(operation, into: &writer)
    }

    /// Every operation's types live in `Operations`, so an operation and a schema never
    /// compete for a name, and adding a schema renames no operation.
    static let namespace = "Operations"

    private func emitNamespace(_ operation: APIOperation, protocolName: String, into writer: inout CodeWriter) {
        writer.docComment(summary(operation))
        writer.block("public enum \(SwiftNames.identifier(operation.namespace)) {") { writer in
            emitInput(operation, into: &writer)
            writer.line()
            emitOutput(operation, into: &writer)
            writer.line()
            if !operation.security.isEmpty {
                // The spec's identity of the operation, which security handlers are told, so an
                // app singles an operation out by a name the compiler checks, not by its path.
                writer.line("public static let operationID = \(SwiftNames.literal(Self.operationID(operation)))")
                writer.line("public static let security: SecurityRequirements = \(securityLiteral(operation.security))")
            }
            for parameter in operation.parameters {
                if let rule = validation.ruleExpression(parameter.type, parameter.constraints) {
                    writer.line("static let \(parameter.propertyName)Rules = \(rule)")
                }
            }
            writer.line()
            emitRespond(operation, protocolName: protocolName, into: &writer)
        }
    }

    private func summary(_ operation: APIOperation) -> String? {
        switch (operation.summary, operation.description) {
        case (let summary?, let description?) where summary != description: "\(summary)\n\n\(description)"
        case (let summary?, _): summary
        case (nil, let description): description
        }
    }

    // MARK: Input

    private struct InputField {
        var name: String
        var type: String
        var optional: Bool
        var defaultValue: String?
        var description: String?
    }

    private func inputFields(_ operation: APIOperation) -> [InputField] {
        var fields = operation.parameters.map { parameter in
            let base = types.nonOptional(parameter.type)
            let defaultValue = parameter.defaultValue.flatMap { ValidationEmitter.literal($0, for: parameter.type) }
            return InputField(
                name: parameter.propertyName, type: base, optional: !parameter.required && defaultValue == nil,
                defaultValue: parameter.required ? nil : defaultValue, description: parameter.description)
        }
        if let body = operation.requestBody, let content = preferredContent(body.contents) {
            fields.append(
                InputField(
                    name: "body", type: bodyType(content), optional: !body.required, defaultValue: nil,
                    description: body.description))
        }
        return fields
    }

    private func emitInput(_ operation: APIOperation, into writer: inout CodeWriter) {
        let fields = inputFields(operation)
        writer.block("public struct Input: Sendable {") { writer in
            for field in fields {
                writer.docComment(field.description)
                writer.line("public var \(SwiftNames.identifier(field.name)): \(field.type)\(field.optional ? "?" : "")")
            }
            if !fields.isEmpty { writer.line() }
            let parameters = fields.map { field -> String in
                let defaultText = field.optional ? " = nil" : field.defaultValue.map { " = \($0)" } ?? ""
                return "\(SwiftNames.identifier(field.name)): \(field.type)\(field.optional ? "?" : "")\(defaultText)"
            }
            if parameters.isEmpty {
                writer.line("public init() {}")
            } else {
                writer.line("public init(\(parameters.joined(separator: ", "))) {")
                writer.indented { writer in
                    for field in fields {
                        writer.line("self.\(SwiftNames.identifier(field.name)) = \(SwiftNames.identifier(field.name))")
                    }
                }
                writer.line("}")
            }
        }
    }

    /// JSON first, then forms, then anything: the one content type the handler reads.
    private func preferredContent(_ contents: [APIContent]) -> APIContent? {
        contents.first { $0.kind == .json } ?? contents.first { $0.kind == .form } ?? contents.first
    }

    private func bodyType(_ content: APIContent) -> String {
        switch content.kind {
        case .json, .form: types.nonOptional(content.type)
        case .multipart: "MultipartForm"
        case .text: "String"
        case .binary: "ByteBuffer"
        }
    }

    // MARK: Output

    private func emitOutput(_ operation: APIOperation, into writer: inout CodeWriter) {
        writer.block("public enum Output: Sendable {") { writer in
            for response in operation.responses {
                let status: String =
                    switch response.key {
                    case .code(let code): "\(code)"
                    case .range(let range): "\(range)XX"
                    case .default: "default"
                    }
                writer.docComment("\(status): \(response.description ?? "")".trimmingTrailingWhitespace())
                writer.line("case \(SwiftNames.identifier(response.caseName))(\(payload(response).joined(separator: ", ")))")
            }
            writer.line("/// Any status the document does not list.")
            writer.line("case undocumented(Response)")
            for response in operation.responses where !response.headers.isEmpty && response.sharedHeaders == nil {
                writer.line()
                emitHeaders(headersTypeName(response), response.headers, into: &writer)
            }
        }
    }

    /// `<Case>Headers`: the response's declared headers, typed, and any others as they are.
    /// A response component's headers are one type shared by every operation that uses it.
    private func headersTypeName(_ response: APIResponse) -> String {
        if let shared = response.sharedHeaders { return "\(Self.sharedHeadersNamespace).\(shared)" }
        return Naming.typeName(response.caseName) + "Headers"
    }

    static let sharedHeadersNamespace = "ResponseHeaders"

    /// `ResponseHeaders.swift`: the headers types of response components.
    func emitSharedHeaders(_ shared: [SharedResponseHeaders], into writer: inout CodeWriter) {
        writer.line("/// The headers of the document's response components, one type each.")
        writer.block("public enum \(Self.sharedHeadersNamespace) {") { writer in
            for (offset, item) in shared.enumerated() {
                if offset > 0 { writer.line() }
                emitHeaders(item.name, item.headers, into: &writer)
            }
        }
    }

    private func emitHeaders(_ typeName: String, _ headers: [APIHeader], into writer: inout CodeWriter) {
        writer.block("public struct \(typeName): Sendable {") { writer in
            for header in headers {
                writer.docComment(header.description)
                writer.line("public var \(SwiftNames.identifier(header.propertyName)): \(headerType(header))")
            }
            writer.line("/// Headers the document does not declare, sent as they are.")
            writer.line("public var other: HTTPFields")
            writer.line()
            let parameters =
                headers.map { header in
                    "\(SwiftNames.identifier(header.propertyName)): \(headerType(header))\(header.required ? "" : " = nil")"
                } + ["other: HTTPFields = [:]"]
            writer.line("public init(\(parameters.joined(separator: ", "))) {")
            writer.indented { writer in
                for header in headers {
                    let identifier = SwiftNames.identifier(header.propertyName)
                    writer.line("self.\(identifier) = \(identifier)")
                }
                writer.line("self.other = other")
            }
            writer.line("}")
            writer.line()
            writer.block("public var fields: HTTPFields {") { writer in
                writer.line("var fields = other")
                for header in headers {
                    let identifier = SwiftNames.identifier(header.propertyName)
                    let name = "HTTPField.Name(\(SwiftNames.literal(header.name)))!"
                    if header.required {
                        writer.line("fields[\(name)] = \(headerText(identifier, header.type))")
                    } else {
                        writer.line("if let \(identifier) { fields[\(name)] = \(headerText(identifier, header.type)) }")
                    }
                }
                writer.line("return fields")
            }
        }
    }

    private func headerType(_ header: APIHeader) -> String {
        types.nonOptional(header.type) + (header.required ? "" : "?")
    }

    /// The header's text: `simple` style, as OpenAPI defines for headers.
    private func headerText(_ value: String, _ type: TypeRef) -> String {
        switch type.nonNull {
        case .named: "\(value).rawValue.headerText"
        default: "\(value).headerText"
        }
    }

    private func payload(_ response: APIResponse) -> [String] {
        var parts: [String] = []
        switch response.key {
        case .range, .default: parts.append("status: Int")
        case .code: break
        }
        let content = responseContent(response)
        if let content { parts.append(responseBodyType(content)) }
        if !response.headers.isEmpty {
            let defaultValue = response.headers.contains(where: \.required) ? "" : " = .init()"
            parts.append("headers: \(headersTypeName(response))\(defaultValue)")
        } else if content == nil {
            // The same rule `responseCase` binds by: a response without a body always has headers.
            parts.append("headers: HTTPFields = [:]")
        }
        return parts
    }

    private func responseContent(_ response: APIResponse) -> APIContent? {
        response.contents.first { $0.kind == .json } ?? response.contents.first
    }

    private func responseBodyType(_ content: APIContent) -> String {
        switch content.kind {
        case .json, .form: types.name(content.type)
        case .text: "String"
        case .multipart, .binary: "ByteBuffer"
        }
    }

    private func emitResponseGenerator(_ operation: APIOperation, into writer: inout CodeWriter) {
        writer.block("extension \(Self.namespace).\(SwiftNames.identifier(operation.namespace)).Output: ResponseGenerator {") { writer in
            writer.block("public func response(from request: Request, context: some RequestContext) throws -> Response {") {
                writer in
                writer.cases("switch self {") { writer in
                    for response in operation.responses {
                        writer.line(responseCase(response))
                    }
                    writer.line("case .undocumented(let response): return response")
                }
            }
        }
    }

    private func responseCase(_ response: APIResponse) -> String {
        let caseName = SwiftNames.identifier(response.caseName)
        var bindings: [String] = []
        let status: String
        switch response.key {
        case .code(let code): status = ".init(code: \(code))"
        case .range, .default:
            bindings.append("let status")
            status = ".init(code: status)"
        }
        let content = responseContent(response)
        if content != nil { bindings.append("let body") }
        let hasHeaders = !response.headers.isEmpty || content == nil
        let isRuntimeError = content.map { ["HTTPError", "HTTPValidationError"].contains(types.name($0.type)) } ?? false
        if hasHeaders { bindings.append("let headers") }
        let pattern = "case .\(caseName)(\(bindings.joined(separator: ", "))):"
        let headers = hasHeaders ? (response.headers.isEmpty ? ", headers: headers" : ", headers: headers.fields") : ""
        guard let content else {
            return "\(pattern) return APIResponse.empty(status: \(status)\(headers))"
        }
        let contentType = SwiftNames.literal(content.contentType)
        switch content.kind {
        case .json, .form:
            if isRuntimeError {
                // The error's own headers (WWW-Authenticate on a 401) merge with the case's.
                return "\(pattern) return APIResponse.error(body, status: \(status)\(headers))"
            }
            return "\(pattern) return try APIResponse.json(body, status: \(status)\(headers))"
        case .text:
            return "\(pattern) return APIResponse.text(body, status: \(status)\(headers), contentType: \(contentType))"
        case .multipart, .binary:
            return "\(pattern) return APIResponse.buffer(body, status: \(status)\(headers), contentType: \(contentType))"
        }
    }

    // MARK: Handler

    /// The spec's `operationId`, else the method and path (`POST /items/`), unique either way.
    static func operationID(_ operation: APIOperation) -> String {
        operation.operationId ?? "\(operation.method.rawValue.uppercased()) \(operation.path)"
    }

    private func securityLiteral(_ alternatives: [[SecurityRequirementEntry]]) -> String {
        let items = alternatives.map { requirement -> String in
            if requirement.isEmpty { return "[:]" }
            let entries = requirement.map { entry in
                "\(SwiftNames.literal(entry.scheme)): [\(entry.scopes.map(SwiftNames.literal).joined(separator: ", "))]"
            }
            return "[\(entries.joined(separator: ", "))]"
        }
        return "[\(items.joined(separator: ", "))]"
    }

    private func emitRespond(_ operation: APIOperation, protocolName: String, into writer: inout CodeWriter) {
        writer.line("static func respond(")
        writer.line("    to request: Request, context: some RequestContext, service: some \(protocolName),")
        writer.line("    security: some SecurityHandler, configuration: RouteConfiguration")
        writer.line(") async throws -> Response {")
        writer.indented { writer in
            if operation.security.isEmpty {
                writer.line("let principal: (any AuthenticatedPrincipal)? = nil")
            } else {
                writer.line("let principal = try await security.authenticate(")
                writer.line("    request, requirements: Self.security, operationID: Self.operationID, logger: context.logger)")
            }
            let fields = inputFields(operation)
            if !fields.isEmpty {
                writer.line("var reader = RequestReader(request, context: context, configuration: configuration)")
            }
            for parameter in operation.parameters {
                // Locals carry a `_` so no parameter can shadow `request`, `context` or `reader`.
                writer.line("let _\(parameter.propertyName) = \(readExpression(parameter))")
            }
            if let body = operation.requestBody, let content = preferredContent(body.contents) {
                writer.line("let _body = \(bodyExpression(content, required: body.required))")
            }
            let unwrapped = fields.filter { !$0.optional && $0.defaultValue == nil }.map { "let _\($0.name)" }
            if !fields.isEmpty {
                // A deferred principal's check answers before the input's errors, as FastAPI's
                // dependencies do: a deleted user's malformed request is a 401, not a 422.
                let settle = operation.security.isEmpty ? "" : "try await principal?.deferred?.settle(); "
                writer.line(
                    "guard reader.errors.isEmpty\(unwrapped.isEmpty ? "" : ", " + unwrapped.joined(separator: ", ")) else { \(settle)throw reader.errors }"
                )
            }
            let arguments = fields.map { "\(SwiftNames.label($0.name)): _\($0.name)" }
            let call = "service.\(SwiftNames.identifier(operation.name))"
            if operation.security.isEmpty {
                writer.line("let output = try await \(call)(")
                writer.line("    Input(\(arguments.joined(separator: ", "))),")
                writer.line("    context: OperationContext(request, context: context, principal: principal)")
                writer.line(")")
            } else {
                // `settling` finishes a deferred principal's check after the handler.
                writer.line("let output = try await OperationContext(request, context: context, principal: principal).settling {")
                writer.line("    try await \(call)(Input(\(arguments.joined(separator: ", "))), context: $0)")
                writer.line("}")
            }
            writer.line("return try output.response(from: request, context: context)")
        }
        writer.line("}")
    }

    private func readExpression(_ parameter: APIParameter) -> String {
        let name = SwiftNames.literal(parameter.name)
        let rules = validation.ruleExpression(parameter.type, parameter.constraints) != nil
        let rulesArgument = rules ? ", rules: Self.\(parameter.propertyName)Rules" : ""
        let required = parameter.required ? ", required: true" : ""
        let defaultValue =
            parameter.required ? nil : parameter.defaultValue.flatMap { ValidationEmitter.literal($0, for: parameter.type) }
        let base = parameter.type.nonNull
        if case .array(let element) = base {
            let elementType = types.name(element)
            let style = ", style: .\(parameter.style.rawValue), explode: \(parameter.explode)"
            switch parameter.location {
            case .path: return "reader.pathList(\(name), of: \(elementType).self\(style))"
            case .header: return "reader.headerList(\(name), of: \(elementType).self\(required))"
            default:
                let listRules = rules ? ", rules: Self.\(parameter.propertyName)Rules" : ""
                return "reader.queryList(\(name), of: \(elementType).self\(style)\(required)\(listRules))"
            }
        }
        let typeName = types.nonOptional(parameter.type)
        if case .named(let named) = base, isObject(named), parameter.location == .query {
            return
                "reader.queryObject(\(name), as: \(typeName).self, style: .\(parameter.style.rawValue), explode: \(parameter.explode)\(required))"
        }
        switch parameter.location {
        case .path: return "reader.path(\(name), as: \(typeName).self\(rulesArgument))"
        case .header: return "reader.header(\(name), as: \(typeName).self\(required)\(rulesArgument))"
        case .cookie: return "reader.cookie(\(name), as: \(typeName).self\(required)\(rulesArgument))"
        case .query, .querystring:
            if let defaultValue {
                return "reader.query(\(name), as: \(typeName).self, default: \(defaultValue)\(rulesArgument))"
            }
            return "reader.query(\(name), as: \(typeName).self\(required)\(rulesArgument))"
        }
    }

    private func isObject(_ name: String) -> Bool {
        if case .object? = model.type(named: name)?.kind { return true }
        return false
    }

    private func bodyExpression(_ content: APIContent, required: Bool) -> String {
        switch content.kind {
        case .json: "try await reader.body(\(types.nonOptional(content.type)).self, required: \(required))"
        case .form: "try await reader.formBody(\(types.nonOptional(content.type)).self, required: \(required))"
        case .multipart: "try await reader.multipartBody(required: \(required))"
        case .text: "try await reader.textBody(required: \(required))"
        case .binary: "try await reader.binaryBody(required: \(required))"
        }
    }
}
