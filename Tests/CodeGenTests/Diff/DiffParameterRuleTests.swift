import Testing

@testable import CodeGen

/// Parameters: added, removed, required, serialization and schema.
@Suite struct DiffParameterRuleTests {
    static func things(_ parameters: String) -> String {
        DiffSnippet.get("parameters:\n\(parameters)\nresponses: {'200': {description: ok}}")
    }

    @Test func addedParameters() {
        let snippet = DiffSnippet(
            old: Self.things("  - {name: a, in: query, schema: {type: string}}"),
            new: Self.things(
                """
                  - {name: a, in: query, schema: {type: string}}
                  - {name: b, in: query, required: true, schema: {type: string}}
                  - {name: X-C, in: header, schema: {type: string}}
                """))
        snippet.expect("request-parameter-required-added", client: .breaking)
        snippet.expect("request-parameter-optional-added", client: .info)
    }

    @Test func removedParameters() {
        let snippet = DiffSnippet(
            old: Self.things(
                """
                  - {name: a, in: query, schema: {type: string}}
                  - {name: b, in: query, deprecated: true, schema: {type: string}}
                  - {name: c, in: query, schema: {type: string}}
                """),
            new: Self.things("  - {name: c, in: query, schema: {type: string}}"))
        snippet.expect("request-parameter-removed", client: .warning)
        snippet.expect("deprecated-request-parameter-removed", client: .info)
        snippet.expectNothingElseBreaking()
    }

    @Test func requiredAndOptionalParameters() {
        let snippet = DiffSnippet(
            old: Self.things(
                "  - {name: a, in: query, schema: {type: string}}\n  - {name: b, in: query, required: true, schema: {type: string}}"),
            new: Self.things(
                "  - {name: a, in: query, required: true, schema: {type: string}}\n  - {name: b, in: query, schema: {type: string}}"))
        snippet.expect("request-parameter-became-required", client: .breaking)
        snippet.expect("request-parameter-became-optional", client: .info)
    }

    /// Header names are matched without regard to case.
    @Test func headerNamesIgnoreCase() {
        let snippet = DiffSnippet(
            old: Self.things("  - {name: X-Trace, in: header, schema: {type: string}}"),
            new: Self.things("  - {name: x-trace, in: header, schema: {type: string}}"))
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
    }

    @Test func serializationChanged() {
        let snippet = DiffSnippet(
            old: Self.things("  - {name: ids, in: query, schema: {type: array, items: {type: string}}}"),
            new: Self.things("  - {name: ids, in: query, explode: false, schema: {type: array, items: {type: string}}}"))
        snippet.expect("request-parameter-style-changed", client: .breaking)
    }

    @Test func parameterTypeAndFormatNarrowed() {
        let snippet = DiffSnippet(
            old: Self.things(
                "  - {name: before, in: query, schema: {type: string}}\n  - {name: limit, in: query, schema: {type: integer, format: int64}}"
            ),
            new: Self.things(
                "  - {name: before, in: query, schema: {type: integer}}\n  - {name: limit, in: query, schema: {type: integer, format: int32}}"
            ))
        snippet.expect("request-parameter-type-changed", client: .breaking)
        snippet.expect("request-parameter-format-narrowed", client: .breaking)
    }

    /// `format: int64` on an integer (or `double` on a number) names the range every client
    /// already uses: a note, not a narrowing.
    @Test func rangeFormatAddedIsANote() {
        let snippet = DiffSnippet(
            old: Self.things("  - {name: skip, in: query, schema: {type: integer}}"),
            new: Self.things("  - {name: skip, in: query, schema: {type: integer, format: int64}}"))
        snippet.expect("request-parameter-format-added", client: .info)
        let email = DiffSnippet(
            old: Self.things("  - {name: to, in: query, schema: {type: string}}"),
            new: Self.things("  - {name: to, in: query, schema: {type: string, format: email}}"))
        email.expect("request-parameter-format-narrowed", client: .breaking)
    }

    @Test func parameterBoundsNarrowedAndWidened() {
        let snippet = DiffSnippet(
            old: Self.things(
                "  - {name: q, in: query, schema: {type: string, maxLength: 100}}\n  - {name: n, in: query, schema: {type: integer, maximum: 10}}"
            ),
            new: Self.things(
                "  - {name: q, in: query, schema: {type: string, maxLength: 50}}\n  - {name: n, in: query, schema: {type: integer, maximum: 20}}"
            ))
        snippet.expect("request-parameter-max-length-decreased", client: .breaking)
        snippet.expect("request-parameter-maximum-increased", client: .info)
    }
}
