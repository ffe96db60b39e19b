import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `websocket.ts`, written from `x-websockets`: the golden file from `Fixtures/websocket.yaml`,
/// its type check with a usage file, its behaviour under node against a fake `WebSocket`, and
/// names that must not clash. The diagnostics are in `TypeScriptWebSocketDiagnosticTests`.
@Suite(.serialized) struct TypeScriptWebSocketTests {
    static let fixture = TypeScriptTestSupport.fixtures.appendingPathComponent("websocket.yaml")

    @Test func fixtureMatchesTheGoldenFiles() async throws {
        let spec = TypeScriptTestSupport.load(Self.fixture)
        #expect(!spec.hasErrors, "\(spec.diagnostics.entries)")
        let (files, diagnostics) = TypeScriptTestSupport.generate(spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(files.map(\.path) == ["TypeScript/schema.ts", "TypeScript/client.ts", "TypeScript/websocket.ts", "TypeScript/index.ts"])
        let byName = TypeScriptTestSupport.emit(spec)
        try TypeScriptTestSupport.expectGolden(try #require(byName["websocket.ts"]), "websocket.websocket.ts")
        try TypeScriptTestSupport.expectGolden(try #require(byName["index.ts"]), "websocket.index.ts")
    }

    /// Separate loads give the same bytes.
    @Test func emitsTheSameTextEveryTime() {
        let first = TypeScriptTestSupport.emit(TypeScriptTestSupport.load(Self.fixture))
        let second = TypeScriptTestSupport.emit(TypeScriptTestSupport.load(Self.fixture))
        #expect(first["websocket.ts"] != nil)
        #expect(first == second)
    }

    /// No `x-websockets`, no file and no export: the other golden files stay as they were.
    @Test func aDocumentWithoutTheExtensionGetsNoWebSocketFile() {
        let files = TypeScriptTestSupport.emit(TypeScriptTestSupport.load(Self.document(webSockets: nil)))
        #expect(files.keys.sorted() == ["client.ts", "index.ts", "schema.ts"])
        #expect(files["index.ts"]?.contains("websocket") == false)
    }

    @Test func theExampleSpecHasItsNotificationHelper() async throws {
        let spec = TypeScriptTestSupport.load(TypeScriptTestSupport.exampleSpec)
        let (files, diagnostics) = TypeScriptTestSupport.generate(spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let webSocket = try #require(files.first { $0.path == "TypeScript/websocket.ts" }?.contents)
        #expect(webSocket.contains("\"/api/v1/ws/notifications\": schema.ItemNotification;"))
        #expect(webSocket.contains("export function itemNotifications(options: ItemNotificationsOptions): WebSocketSubscription {"))
        #expect(webSocket.contains("  token: TokenSource;\n"))
    }

    @Test func fixtureAndItsUsageTypeCheck() async throws {
        var files = TypeScriptTestSupport.emit(TypeScriptTestSupport.load(Self.fixture))
        files["usage.ts"] = try TypeScriptTestSupport.fixture("websocket-usage.ts")
        let folder = try TypeScriptTestSupport.temporaryFolder("websocket-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TypeScriptTestSupport.write(files, to: folder)
        try await TypeScriptTestSupport.expectTypeChecks(["index.ts", "usage.ts"], in: folder, label: "Fixtures/websocket.yaml")
    }

    /// Compiles `websocket.ts` and runs `Fixtures/websocket-runtime.mjs` under node, which
    /// passes a recording fake as the `WebSocket` class (node 20 has none of its own).
    @Test func helpersConnectAndDeliverWhatTheDocumentSays() async throws {
        guard let tsc = TypeScriptTestSupport.typeScriptCompiler() else { return }
        guard let node = TypeScriptTestSupport.executable("node") ?? TypeScriptTestSupport.executable("nodejs") else {
            Issue.record("node was not found on PATH: the generated helpers cannot be run (tsc needs it too).")
            return
        }
        var files = TypeScriptTestSupport.emit(TypeScriptTestSupport.load(Self.fixture))
        files["runtime.mjs"] = try TypeScriptTestSupport.fixture("websocket-runtime.mjs")
        let folder = try TypeScriptTestSupport.temporaryFolder("websocket-runtime")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TypeScriptTestSupport.write(files, to: folder)

        let compile = try await TypeScriptTestSupport.run(
            tsc, ["--strict", "--target", "es2022", "--module", "es2022", "--lib", "es2022,dom", "--outDir", "js", "websocket.ts"],
            in: folder)
        #expect(compile.status == 0, "tsc could not compile websocket.ts:\n\(compile.output)")
        guard compile.status == 0 else { return }
        try "{\"type\":\"module\"}\n".write(to: folder.appendingPathComponent("js/package.json"), atomically: true, encoding: .utf8)

        let run = try await TypeScriptTestSupport.run(node, ["runtime.mjs"], in: folder)
        #expect(run.status == 0 && run.output.contains("ok"), "the helpers misbehaved under node:\n\(run.output)")
    }

    /// A helper never takes a name `index.ts` already exports, a reserved word, or a global
    /// the runtime calls; the shared types step aside for a schema of the same name.
    @Test func namesDoNotClash() async throws {
        let text = Self.document(
            webSockets: """
                /ws/a:
                  operationId: delete
                  security: []
                  receive: {$ref: '#/components/schemas/WebSocketSubscription'}
                /ws/b:
                  operationId: location
                  security: []
                  receive: {$ref: '#/components/schemas/WebSocketSubscription'}
                /ws/c:
                  operationId: ThingOptions
                  security: []
                  receive: {$ref: '#/components/schemas/WebSocketSubscription'}
                """,
            schemas: "WebSocketSubscription: {type: object}\nThingOptions: {type: string}")
        let spec = TypeScriptTestSupport.load(text)
        #expect(!spec.hasErrors, "\(spec.diagnostics.entries)")
        let webSocket = try #require(TypeScriptTestSupport.emit(spec)["websocket.ts"])
        #expect(webSocket.contains("export interface WebSocketSubscription2 {"))
        #expect(webSocket.contains("export function delete_(options: DeleteOptions): WebSocketSubscription2 {"))
        #expect(webSocket.contains("export function location2(options: Location2Options): WebSocketSubscription2 {"))
        #expect(webSocket.contains("export function thingOptions(options: ThingOptionsOptions): WebSocketSubscription2 {"))
        #expect(webSocket.contains("\"/ws/a\": schema.WebSocketSubscription;"))
    }

    /// A small valid document with `webSockets` as its `x-websockets` (nil for none), indented
    /// under it, or `inline` written on its line.
    static func document(webSockets: String?, inline: String? = nil, schemas: String = "Event: {type: object}") -> String {
        var text = """
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths:
              /items:
                get:
                  operationId: listItems
                  responses:
                    '204': {description: none}
            components:
              securitySchemes:
                bearer: {type: http, scheme: bearer}
                key: {type: apiKey, in: header, name: X-Key}
              schemas:

            """
        text += schemas.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        if let inline { text += "x-websockets: \(inline)\n" }
        if let webSockets {
            text +=
                "x-websockets:\n"
                + webSockets.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }
}
