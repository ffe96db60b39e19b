import Testing

@testable import CodeGen

/// Security requirements and schemes.
@Suite struct DiffSecurityRuleTests {
    static func api(security: String, scheme: String = "{type: http, scheme: bearer}") -> String {
        """
        openapi: 3.1.0
        info: {title: Snippet, version: '1'}
        paths:
          /a:
            get:
              \(security)
              responses: {'200': {description: ok}}
        components:
          securitySchemes:
            bearer: \(scheme)
            key: {type: apiKey, in: header, name: X-Key}
        """
    }

    static func row(_ name: String, _ old: String, _ new: String, scheme: String? = nil, _ expected: DiffCase.Expectation...)
        -> DiffCase
    {
        DiffCase(
            name: name, old: api(security: old), new: scheme.map { api(security: new, scheme: $0) } ?? api(security: new),
            expected: expected, nothingElseBreakingExcept: Set(expected.filter { $0.client == .breaking }.map(\.id)))
    }

    static let cases: [DiffCase] = [
        row(
            "security added to a public operation", "security: []", "security: [{bearer: []}]",
            .rule("security-requirement-added", .breaking)),
        row(
            "another alternative relaxes security", "security: [{bearer: []}]", "security: [{bearer: []}, {key: []}]",
            .rule("security-requirement-relaxed", .info)),
        row(
            "another scheme is breaking", "security: [{bearer: []}]", "security: [{bearer: [], key: []}]",
            .rule("security-requirement-added", .breaking)),
        row(
            "another scope is breaking", "security: [{bearer: [read]}]", "security: [{bearer: [read, write]}]",
            .rule("security-requirement-added", .breaking)),
        row(
            "a scheme changes how credentials travel", "security: [{bearer: []}]", "security: [{bearer: []}]",
            scheme: "{type: http, scheme: basic}", .rule("security-scheme-changed", .breaking)),
    ]

    @Test(arguments: cases) func rule(_ row: DiffCase) { row.check() }
}
