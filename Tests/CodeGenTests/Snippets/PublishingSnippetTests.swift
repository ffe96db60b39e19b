import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// What is published (the bundled document, the TypeScript types) and what stays on the server.
@Suite struct PublishingSnippetTests {
    static let tables = Snippet.document(
        schemas: """
            UserPublic:
              type: object
              required: [email]
              properties:
                email: {type: string}
            UserRow:
              x-db-table: user
              type: object
              required: [email, hashed_password]
              properties:
                email: {type: string, x-db-primary-key: true}
                hashed_password: {type: string}
                settings:
                  type: object
                  properties: {theme: {type: string}}
            AuditNote:
              x-internal: true
              type: object
              properties: {text: {type: string}}
            """,
        paths: """
            /me:
              get:
                operationId: readMe
                responses:
                  '200':
                    description: ok
                    content: {application/json: {schema: {$ref: '#/components/schemas/UserPublic'}}}
            """)

    @Test func internalSchemasAreMarkedInTheModel() {
        let model = Snippet(Self.tables).model
        #expect(model.type(named: "UserRow")?.isInternal == true)
        #expect(model.type(named: "UserRowSettings")?.isInternal == true, "a type hoisted out of an internal schema")
        #expect(model.type(named: "AuditNote")?.isInternal == true)
        #expect(model.type(named: "UserPublic")?.isInternal == false)
        #expect(model.internalComponentNames == ["UserRow", "AuditNote"])
        #expect(model.diagnostics.isEmpty, "\(model.diagnostics)")
    }

    @Test func internalSchemasAreLeftOutOfTheBundleAndTheTypeScript() throws {
        let snippet = Snippet(Self.tables)
        let (files, diagnostics) = generateFiles(for: snippet.spec, options: GenerationOptions(), existing: ExistingOutput())
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let bundle = try #require(files.first { $0.path == "openapi.json" }?.contents)
        #expect(!bundle.contains("hashed_password"))
        #expect(!bundle.contains("AuditNote"))
        #expect(bundle.contains("\"UserPublic\""))
        // The bundle is still valid JSON.
        #expect((try? JSONSerialization.jsonObject(with: Data(bundle.utf8))) != nil)
        let typeScript = snippet.typeScript
        #expect(!typeScript.contains("hashed_password"))
        #expect(!typeScript.contains("UserRow"))
        #expect(typeScript.contains("UserPublic"))
        // The server keeps its row type.
        #expect(snippet.swift.contains("public struct UserRow: Codable, Hashable, Sendable {"))
    }

    @Test func aPublishedTypeUsingAnInternalOneIsAnError() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Row: {x-db-table: row, type: object, properties: {id: {type: integer, x-db-primary-key: true}}}
                    Page: {type: object, properties: {rows: {type: array, items: {$ref: '#/components/schemas/Row'}}}}
                    """,
                paths: """
                    /rows/{id}:
                      get:
                        operationId: readRow
                        parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
                        responses:
                          '200':
                            description: ok
                            content: {application/json: {schema: {$ref: '#/components/schemas/Row'}}}
                    """))
        let errors = snippet.diagnostics.filter { $0.contains(": error: ") }
        #expect(
            errors == [
                "/snippet/openapi.yaml:15:11: error: the published schema 'Page' uses 'Row', which is internal (x-db-table or x-internal) and is left out of the published document",
                "/snippet/openapi.yaml:6:7: error: operation 'readRow' uses 'Row', which is internal (x-db-table or x-internal) and is left out of the published document",
            ], "\(errors)")
    }

    @Test func openEnumKeepsUnknownValues() {
        let snippet = Snippet(
            Snippet.document(
                schemas: """
                    Status: {type: string, enum: [active, unknown], x-enum-open: true}
                    Closed: {type: string, enum: [a, b]}
                    """))
        #expect(snippet.type("Status")?.isOpenEnum == true)
        #expect(snippet.type("Closed")?.isOpenEnum == false)
        expectLines(
            snippet.swift,
            [
                "public enum Status: RawRepresentable, Codable, Hashable, Sendable {",
                "case active",
                "case unknown",
                "case unknown2(String)",
                "default: self = .unknown2(rawValue)",
                "public enum Closed: String, Codable, Hashable, Sendable, CaseIterable {",
            ])
        expectLines(snippet.typeScript, ["Status: \"active\" | \"unknown\" | (string & {});"])
    }
}
