import Testing

@testable import CodeGen

/// Parameters: added, removed, required, serialization and schema.
@Suite struct DiffParameterRuleTests {
    static func things(_ parameters: String) -> String {
        DiffSnippet.get("parameters:\n\(parameters)\nresponses: {'200': {description: ok}}")
    }

    static func row(_ name: String, _ old: String, _ new: String, exactIDs: [String]? = nil, _ expected: DiffCase.Expectation...)
        -> DiffCase
    {
        DiffCase(name: name, old: things(old), new: things(new), expected: expected, exactIDs: exactIDs)
    }

    static let cases: [DiffCase] = [
        row(
            "parameters added", "  - {name: a, in: query, schema: {type: string}}",
            """
              - {name: a, in: query, schema: {type: string}}
              - {name: b, in: query, required: true, schema: {type: string}}
              - {name: X-C, in: header, schema: {type: string}}
            """,
            .rule("request-parameter-required-added", .breaking), .rule("request-parameter-optional-added", .info)),
        DiffCase(
            name: "parameters removed",
            old: things(
                """
                  - {name: a, in: query, schema: {type: string}}
                  - {name: b, in: query, deprecated: true, schema: {type: string}}
                  - {name: c, in: query, schema: {type: string}}
                """),
            new: things("  - {name: c, in: query, schema: {type: string}}"),
            expected: [.rule("request-parameter-removed", .warning), .rule("deprecated-request-parameter-removed", .info)],
            nothingElseBreakingExcept: []),
        row(
            "parameters became required and optional",
            "  - {name: a, in: query, schema: {type: string}}\n  - {name: b, in: query, required: true, schema: {type: string}}",
            "  - {name: a, in: query, required: true, schema: {type: string}}\n  - {name: b, in: query, schema: {type: string}}",
            .rule("request-parameter-became-required", .breaking), .rule("request-parameter-became-optional", .info)),
        row(
            "header names are matched without regard to case", "  - {name: X-Trace, in: header, schema: {type: string}}",
            "  - {name: x-trace, in: header, schema: {type: string}}", exactIDs: []),
        row(
            "serialization changed", "  - {name: ids, in: query, schema: {type: array, items: {type: string}}}",
            "  - {name: ids, in: query, explode: false, schema: {type: array, items: {type: string}}}",
            .rule("request-parameter-style-changed", .breaking)),
        row(
            "type and format narrowed",
            "  - {name: before, in: query, schema: {type: string}}\n  - {name: limit, in: query, schema: {type: integer, format: int64}}",
            "  - {name: before, in: query, schema: {type: integer}}\n  - {name: limit, in: query, schema: {type: integer, format: int32}}",
            .rule("request-parameter-type-changed", .breaking), .rule("request-parameter-format-narrowed", .breaking)),
        // `format: int64` on an integer (or `double` on a number) names the range every client
        // already uses: a note, not a narrowing.
        row(
            "a range format added is a note", "  - {name: skip, in: query, schema: {type: integer}}",
            "  - {name: skip, in: query, schema: {type: integer, format: int64}}", .rule("request-parameter-format-added", .info)),
        row(
            "a string format added narrows", "  - {name: to, in: query, schema: {type: string}}",
            "  - {name: to, in: query, schema: {type: string, format: email}}",
            .rule("request-parameter-format-narrowed", .breaking)),
        row(
            "bounds narrowed and widened",
            "  - {name: q, in: query, schema: {type: string, maxLength: 100}}\n  - {name: n, in: query, schema: {type: integer, maximum: 10}}",
            "  - {name: q, in: query, schema: {type: string, maxLength: 50}}\n  - {name: n, in: query, schema: {type: integer, maximum: 20}}",
            .rule("request-parameter-max-length-decreased", .breaking), .rule("request-parameter-maximum-increased", .info)),
        row(
            "a parameter deprecated", "  - {name: q, in: query, schema: {type: string}}",
            "  - {name: q, in: query, deprecated: true, schema: {type: string}}", .rule("request-parameter-deprecated", .info)),
    ]

    @Test(arguments: cases) func rule(_ row: DiffCase) { row.check() }
}
