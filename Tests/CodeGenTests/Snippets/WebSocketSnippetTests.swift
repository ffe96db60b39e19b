import Testing

@testable import CodeGen

/// `x-websockets` is read once, by the model, with the model's diagnostics; `websocket.ts` is
/// written from the model's channels and never from the document.
@Suite struct WebSocketSnippetTests {
    static func document(webSockets: String, schemas: String = "Event: {type: object, properties: {kind: {type: string}}}") -> String {
        var text = Snippet.document(schemas: schemas)
        text += "  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n"
        text += "security: [{bearer: []}]\n"
        text += "x-websockets:\n" + webSockets.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        return text
    }

    @Test func theModelHoldsTheChannels() throws {
        let snippet = Snippet(
            Self.document(
                webSockets: """
                    /ws/events:
                      operationId: events
                      summary: Events as they happen.
                      receive: {$ref: '#/components/schemas/Event'}
                    """))
        let model = snippet.model
        #expect(model.diagnostics.isEmpty, "\(model.diagnostics)")
        let channel = try #require(model.webSockets.first)
        #expect(model.webSockets.count == 1)
        #expect(channel.path == "/ws/events")
        #expect(channel.operationId == "events")
        #expect(channel.summary == "Events as they happen.")
        #expect(channel.messageType == "Event")
        #expect(channel.token == .required)
        #expect(channel.location.line == 11)
    }

    /// A malformed entry is a diagnostic of the model, at its line and column.
    @Test func malformedEntriesAreModelDiagnostics() {
        let snippet = Snippet(
            Self.document(
                webSockets: """
                    /ws/a:
                      summary: [not, text]
                      receive: {$ref: '#/components/schemas/Event'}
                    /ws/b:
                      receive: {type: object}
                    """))
        #expect(
            snippet.diagnostics == [
                "/snippet/openapi.yaml:12:14: error: 'summary' of x-websockets entry '/ws/a' must be a string, not a list",
                "/snippet/openapi.yaml:15:14: warning: 'receive' of x-websockets entry '/ws/b' is an inline schema, so its messages are typed `unknown`; declare it in components.schemas and $ref it",
            ], "\(snippet.diagnostics)")
        #expect(snippet.model.webSockets.map(\.path) == ["/ws/b"])
    }

    /// Messages of an internal schema would name a type the TypeScript leaves out.
    @Test func internalMessagesAreAnError() {
        let snippet = Snippet(
            Self.document(
                webSockets: "/ws/rows:\n  receive: {$ref: '#/components/schemas/Row'}",
                schemas: "Row: {type: object, x-db-table: row, properties: {id: {type: integer, x-db-primary-key: true}}}"))
        #expect(
            snippet.diagnostics.contains(
                "/snippet/openapi.yaml:11:3: error: x-websockets entry '/ws/rows' sends 'Row', which is internal (x-db-table or x-internal) and is left out of the published document"
            ), "\(snippet.diagnostics)")
    }

    /// The TypeScript emitter reads the model's channels: what the model holds is what it writes.
    @Test func typeScriptIsWrittenFromTheModel() throws {
        let snippet = Snippet(Self.document(webSockets: "/ws/events:\n  receive: {$ref: '#/components/schemas/Event'}"))
        var model = snippet.model
        let written = try #require(TypeScriptEmitter.emit(model).first { $0.path.hasSuffix("/websocket.ts") }?.contents)
        expectLines(written, ["\"/ws/events\": schema.Event;"])
        model.webSockets[0].path = "/ws/renamed"
        let renamed = try #require(TypeScriptEmitter.emit(model).first { $0.path.hasSuffix("/websocket.ts") }?.contents)
        expectLines(renamed, ["\"/ws/renamed\": schema.Event;"])
        model.webSockets = []
        #expect(!TypeScriptEmitter.emit(model).contains { $0.path.hasSuffix("/websocket.ts") })
    }
}
