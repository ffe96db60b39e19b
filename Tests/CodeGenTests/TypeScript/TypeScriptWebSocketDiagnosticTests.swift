import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Bad `x-websockets` input: each case is one diagnostic at the line that holds the problem,
/// never a crash. An entry with an error gets no helper, and `generateFiles` reports the
/// error, so nothing is written; a warning leaves the helper in place.
@Suite struct TypeScriptWebSocketDiagnosticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The entries, indented under `x-websockets:`.
        var webSockets: String?
        /// Or the whole value, on the `x-websockets:` line.
        var inline: String?
        /// Part of the expected message.
        var message: String
        /// A text on the line the diagnostic must point at.
        var marker: String
        var severity: Diagnostic.Severity = .error
        /// The path of a good entry next to the bad one, whose helper must remain.
        var kept: String?
        var testDescription: String { name }

        init(
            _ name: String, webSockets: String? = nil, inline: String? = nil, message: String, marker: String,
            severity: Diagnostic.Severity = .error, kept: String? = nil
        ) {
            self.name = name
            self.webSockets = webSockets
            self.inline = inline
            self.message = message
            self.marker = marker
            self.severity = severity
            self.kept = kept
        }
    }

    static let cases: [Case] = [
        Case(
            "not a mapping", inline: "[/ws/a]",
            message: "x-websockets must be a mapping from paths to WebSocket entries, not a list", marker: "x-websockets:"),
        Case(
            "a $ref for the whole extension", inline: "{$ref: './websockets.yaml'}",
            message: "x-websockets cannot be a $ref: specgen does not follow references in extensions", marker: "x-websockets:"),
        Case(
            "path without a leading slash", webSockets: "ws/a:\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "x-websockets path 'ws/a' must start with '/'", marker: "ws/a:"),
        Case(
            "entry not a mapping", webSockets: "/ws/a: 5",
            message: "x-websockets entry '/ws/a' must be a mapping, not the number 5", marker: "/ws/a: 5"),
        Case(
            "no receive", webSockets: "/ws/a:\n  summary: Events",
            message: "x-websockets entry '/ws/a' has no 'receive': the schema of the messages the server sends", marker: "/ws/a:"),
        Case(
            "receive not a schema", webSockets: "/ws/a:\n  receive: Event",
            message: "'receive' of x-websockets entry '/ws/a' must be a schema (a mapping), not 'Event'", marker: "receive: Event"),
        Case(
            "$ref not a string", webSockets: "/ws/a:\n  receive: {$ref: [Event]}",
            message: "the $ref of 'receive' of x-websockets entry '/ws/a' must be a string, not a list", marker: "receive: {"),
        Case(
            "$ref into another file", webSockets: "/ws/a:\n  receive: {$ref: 'events.yaml#/Event'}",
            message:
                "the $ref 'events.yaml#/Event' of 'receive' of x-websockets entry '/ws/a' must point at a schema in this document's components",
            marker: "receive: {"),
        Case(
            "$ref to another section", webSockets: "/ws/a:\n  receive: {$ref: '#/components/responses/Event'}",
            message: "the $ref '#/components/responses/Event' of 'receive' of x-websockets entry '/ws/a' must point at a schema",
            marker: "receive: {"),
        Case(
            "dangling $ref", webSockets: "/ws/a:\n  receive:\n    $ref: '#/components/schemas/Nope'",
            message: "the $ref '#/components/schemas/Nope' of 'receive' of x-websockets entry '/ws/a' points at no schema: "
                + "components.schemas has no 'Nope'",
            marker: "$ref: '#/components/schemas/Nope'"),
        Case(
            "operationId of an HTTP operation",
            webSockets: "/ws/a:\n  operationId: listItems\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "operationId 'listItems' of x-websockets entry '/ws/a' is already used by GET /items",
            marker: "operationId: listItems\n    receive"),
        Case(
            "operationId of another entry",
            webSockets: """
                /ws/a:
                  operationId: 'events'
                  receive: {$ref: '#/components/schemas/Event'}
                /ws/b:
                  operationId: events
                  receive: {$ref: '#/components/schemas/Event'}
                """,
            message: "operationId 'events' of x-websockets entry '/ws/b' is already used by x-websockets entry '/ws/a'",
            marker: "operationId: events", kept: "/ws/a"),
        Case(
            "operationId not a string",
            webSockets: "/ws/a:\n  operationId: {name: events}\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "'operationId' of x-websockets entry '/ws/a' must be a string, not a mapping", marker: "operationId: {"),
        Case(
            "summary not a string", webSockets: "/ws/a:\n  summary: [Events]\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "'summary' of x-websockets entry '/ws/a' must be a string, not a list", marker: "summary: [Events]"),
        Case(
            "deprecated not a boolean", webSockets: "/ws/a:\n  deprecated: yes\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "'deprecated' of x-websockets entry '/ws/a' must be true or false, not 'yes'", marker: "deprecated: yes"),
        Case(
            "tags not a list", webSockets: "/ws/a:\n  tags: items\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "'tags' of x-websockets entry '/ws/a' must be a list, not 'items'", marker: "tags: items"),
        Case(
            "security not a list", webSockets: "/ws/a:\n  security: {bearer: []}\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "'security' of x-websockets entry '/ws/a' must be a list, not a mapping", marker: "security: {"),
        Case(
            "undeclared security scheme",
            webSockets: "/ws/a:\n  security:\n    - oauth: []\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "security requirement of x-websockets entry '/ws/a' names 'oauth', which is not in components.securitySchemes",
            marker: "- oauth: []"),
        Case(
            "inline receive schema", webSockets: "/ws/a:\n  receive:\n    type: object",
            message: "'receive' of x-websockets entry '/ws/a' is an inline schema, so its messages are typed `unknown`",
            marker: "      type: object", severity: .warning),
        Case(
            "security the helper cannot send",
            webSockets: "/ws/a:\n  security:\n    - key: []\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "x-websockets entry '/ws/a' requires 'key', which the helper cannot send: it sends only a bearer token",
            marker: "/ws/a:", severity: .warning),
        Case(
            "unknown field",
            webSockets: "/ws/a:\n  send: {$ref: '#/components/schemas/Event'}\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "unknown field 'send' in x-websockets entry '/ws/a' (ignored)", marker: "send: {", severity: .warning),
        Case(
            "path template", webSockets: "/ws/{room}:\n  receive: {$ref: '#/components/schemas/Event'}",
            message: "x-websockets entry '/ws/{room}' has a path template: the helper takes no path parameters",
            marker: "/ws/{room}:", severity: .warning),
    ]

    @Test(arguments: cases)
    func reportsAtTheProblem(_ testCase: Case) throws {
        let text = TypeScriptWebSocketTests.document(webSockets: testCase.webSockets, inline: testCase.inline)
        let spec = TypeScriptTestSupport.load(text)
        #expect(!spec.hasErrors, "the case's document does not load: \(spec.diagnostics.entries)")
        let (files, diagnostics) = TypeScriptTestSupport.generate(spec)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        let found = try #require(
            diagnostics.first { $0.message.contains(testCase.message) },
            "no diagnostic says \(testCase.message); got:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(found.severity == testCase.severity)
        #expect(found.location.file == "/virtual/typescript.yaml")
        let markerStart = try #require(text.range(of: testCase.marker), "marker not in the document").lowerBound
        let expectedLine = text[..<markerStart].filter { $0 == "\n" }.count + 1
        #expect(found.location.line == expectedLine, "\(found)")
        #expect(found.description.hasPrefix("/virtual/typescript.yaml:\(expectedLine):"))

        // An error leaves the entry out; a warning keeps its helper.
        let webSocket = files.first { $0.path == "TypeScript/websocket.ts" }?.contents
        if let kept = testCase.kept {
            #expect(webSocket?.contains("  \"\(kept)\": ") == true)
            #expect(webSocket?.components(separatedBy: ": schema.").count == 2, "only \(kept) has a helper")
        } else {
            #expect((webSocket == nil) == (testCase.severity == .error))
        }
        // `specgen lint` gets the same, and `specgen generate` reports it and writes nothing on an error.
        #expect(APIModel.webSocketDiagnostics(for: spec) == diagnostics)
        let generated = generateFiles(for: spec, options: GenerationOptions(), existing: ExistingOutput())
        #expect(generated.diagnostics.contains(found))
    }

    @Test func everyProblemIsReportedInOneRunAndGoodEntriesStay() throws {
        let text = TypeScriptWebSocketTests.document(
            webSockets: """
                ws/a:
                  receive: {$ref: '#/components/schemas/Event'}
                /ws/b:
                  summary: 5
                /ws/c:
                  operationId: good
                  receive: {$ref: '#/components/schemas/Event'}
                /ws/d:
                  receive: {$ref: '#/components/schemas/Nope'}
                """)
        let spec = TypeScriptTestSupport.load(text)
        let (files, diagnostics) = TypeScriptTestSupport.generate(spec)
        #expect(diagnostics.map(\.severity) == [.error, .error, .error], "\(diagnostics)")
        let webSocket = try #require(files.first { $0.path == "TypeScript/websocket.ts" }?.contents)
        #expect(webSocket.contains("export function good("))
        #expect(!webSocket.contains("\"/ws/b\"") && !webSocket.contains("\"/ws/d\""))
    }

    /// `summary: 5` is read as the text written, as the loader reads `info.version: 1.0`.
    @Test func plainScalarsAreReadAsText() throws {
        let text = TypeScriptWebSocketTests.document(
            webSockets: "/ws/a:\n  summary: 5\n  operationId: 2fa\n  receive: {$ref: '#/components/schemas/Event'}")
        let spec = TypeScriptTestSupport.load(text)
        let (files, diagnostics) = TypeScriptTestSupport.generate(spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let webSocket = try #require(files.first { $0.path == "TypeScript/websocket.ts" }?.contents)
        #expect(webSocket.contains("  /** 5 */\n  \"/ws/a\": schema.Event;\n"))
        #expect(webSocket.contains("export function _2fa(options: _2faOptions): WebSocketSubscription {"))
    }

    /// A document that did not load has no `x-websockets` to read.
    @Test func aDocumentThatDidNotLoadGivesNoDiagnostics() {
        let spec = TypeScriptTestSupport.load("not: [an openapi document")
        #expect(APIModel.webSocketDiagnostics(for: spec).isEmpty)
    }
}
