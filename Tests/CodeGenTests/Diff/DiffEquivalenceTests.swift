import Testing

@testable import CodeGen

/// Different shapes that say the same thing are no change; cycles end.
@Suite struct DiffEquivalenceTests {
    static let inline = Snippet.document(
        paths: """
            /items:
              post:
                requestBody: {content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string, maxLength: 10}}}}}}
                responses: {'200': {description: ok}}
            """)

    @Test func movingASchemaIntoComponentsIsNoChange() {
        let moved = Snippet.document(
            schemas:
                "ItemCreate: {type: object, required: [name], properties: {name: {$ref: '#/components/schemas/Name'}}}\nName: {type: string, maxLength: 10}",
            paths: """
                /items:
                  post:
                    requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/ItemCreate'}}}}
                    responses: {'200': {description: ok}}
                """)
        let snippet = DiffSnippet(old: Self.inline, new: moved)
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
        #expect(snippet.report.summary == "no changes")
    }

    @Test func renamingAComponentIsNoChange() {
        let old = DiffSnippet.items("type: object\nproperties: {tag: {$ref: '#/components/schemas/Tag'}}", schemas: "Tag: {type: string}")
        let new = DiffSnippet.items(
            "type: object\nproperties: {tag: {$ref: '#/components/schemas/Label'}}", schemas: "Label: {type: string}")
        let snippet = DiffSnippet(old: old, new: new)
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
    }

    @Test func allOfPartsAreMerged() {
        let snippet = DiffSnippet(
            old: DiffSnippet.items("type: object\nrequired: [a, b]\nproperties: {a: {type: string}, b: {type: integer}}"),
            new: DiffSnippet.items(
                "allOf:\n  - {type: object, required: [a], properties: {a: {type: string}}}\n  - {type: object, required: [b], properties: {b: {type: integer}}}"
            ))
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
    }

    /// 3.0's `nullable: true` and 3.1's `anyOf` with a `null` branch accept the same values.
    @Test func nullBranchIsNullable() {
        let snippet = DiffSnippet(
            old: DiffSnippet.items("type: object\nproperties: {a: {type: string, nullable: true}}", version: "3.0.3"),
            new: DiffSnippet.items("type: object\nproperties: {a: {anyOf: [{type: string}, {type: 'null'}]}}"))
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
    }

    /// A recursive schema compared with its renamed copy ends, and a change deep in it is
    /// reported once.
    @Test func cyclesEndAndReportOnce() {
        func tree(_ name: String, maxLength: Int) -> String {
            DiffSnippet.items(
                "$ref: '#/components/schemas/\(name)'",
                schemas: "\(name):\n  type: object\n  properties:\n    label: {type: string, maxLength: \(maxLength)}\n"
                    + "    children: {type: array, items: {$ref: '#/components/schemas/\(name)'}}")
        }
        let same = DiffSnippet(old: tree("Node", maxLength: 5), new: tree("TreeNode", maxLength: 5))
        #expect(same.report.changes.isEmpty, "\(same.ids)")
        let changed = DiffSnippet(old: tree("Node", maxLength: 5), new: tree("TreeNode", maxLength: 3))
        #expect(changed.ids.filter { $0.hasSuffix("max-length-decreased") }.count == 2, "\(changed.ids)")
    }
}
