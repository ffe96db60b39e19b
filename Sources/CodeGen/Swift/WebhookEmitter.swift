/// Writes `Webhooks.swift`: per webhook of the document (3.1), a namespace with its name, its
/// method and the types of the payload it sends and the answers it expects. The types
/// themselves (inline ones hoisted by the model) are in `Types.swift`, so a server that sends
/// webhooks encodes the same types a TypeScript receiver reads.
struct WebhookEmitter {
    let types: SwiftTypes

    static let namespace = "Webhooks"

    func emit(_ webhooks: [APIOperation], into writer: inout CodeWriter) {
        writer.line("/// The requests this API sends to its subscribers (the document's `webhooks`).")
        writer.block("public enum \(Self.namespace) {") { writer in
            for (offset, webhook) in webhooks.enumerated() {
                if offset > 0 { writer.line() }
                emit(webhook, into: &writer)
            }
        }
    }

    private func emit(_ webhook: APIOperation, into writer: inout CodeWriter) {
        writer.docComment(webhook.summary ?? webhook.description)
        writer.block("public enum \(SwiftNames.identifier(webhook.namespace)) {") { writer in
            writer.line("/// The webhook's key in the document.")
            writer.line("public static let name = \(SwiftNames.literal(webhook.path))")
            writer.line("public static let method = \(SwiftNames.literal(webhook.method.rawValue.uppercased()))")
            if let body = webhook.requestBody, let content = body.contents.first {
                writer.line("/// The payload, sent as `\(content.contentType)`.")
                writer.line("public typealias Body = \(bodyType(content))")
            }
            for response in webhook.responses {
                guard let content = response.contents.first else { continue }
                writer.line("/// The subscriber's answer: \(response.description ?? response.caseName)".trimmingTrailingWhitespace())
                writer.line("public typealias \(Naming.typeName(response.caseName))Response = \(bodyType(content))")
            }
        }
    }

    private func bodyType(_ content: APIContent) -> String {
        switch content.kind {
        case .json, .form: types.name(content.type)
        case .text: "String"
        case .multipart, .binary: "Data"
        }
    }
}
