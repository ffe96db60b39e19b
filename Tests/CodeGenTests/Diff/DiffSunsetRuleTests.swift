import Testing

@testable import CodeGen

/// `x-sunset` on parameters and properties, as on operations: a deprecated one removed after
/// its sunset date (or deprecated with none) is a note, removed before it breaks clients.
@Suite struct DiffSunsetRuleTests {
    static func things(_ parameters: String) -> String {
        DiffSnippet.get("parameters:\n\(parameters)\nresponses: {'200': {description: ok}}")
    }

    static let cases: [DiffCase] = [
        DiffCase(
            name: "deprecated parameters removed, before and after their sunset",
            old: things(
                """
                  - {name: a, in: query, deprecated: true, x-sunset: '2026-01-31', schema: {type: string}}
                  - {name: b, in: query, deprecated: true, x-sunset: '2027-01-01T00:00:00Z', schema: {type: string}}
                  - {name: c, in: query, deprecated: true, schema: {type: string}}
                  - {name: d, in: query, schema: {type: string}}
                """),
            new: things("  - {name: d, in: query, schema: {type: string}}"),
            expected: [
                .rule("deprecated-request-parameter-removed", .info),
                .rule("request-parameter-removed-before-sunset", .breaking),
            ],
            exactIDs: [
                "deprecated-request-parameter-removed", "request-parameter-removed-before-sunset",
                "deprecated-request-parameter-removed",
            ]),
        .item(
            "deprecated properties removed after their sunset or with none",
            "type: object\nrequired: [a]\nproperties: {a: {type: string, deprecated: true, x-sunset: '2026-01-31'}, b: {type: string, deprecated: true}, d: {type: string}}",
            "type: object\nproperties: {d: {type: string}}", nothingElseBreaking: true,
            .rule("request-deprecated-property-removed", .info),
            .rule("response-deprecated-property-removed", .info)),
        .item(
            "a deprecated property removed before its sunset",
            "type: object\nproperties: {a: {type: string, deprecated: true, x-sunset: '2027-01-01'}, d: {type: string}}",
            "type: object\nproperties: {d: {type: string}}",
            .rule("request-property-removed-before-sunset", .breaking),
            .rule("response-property-removed-before-sunset", .breaking)),
    ]

    @Test(arguments: cases) func rule(_ row: DiffCase) { row.check() }

    /// The sunset date is the model's: the same one the generator documents.
    @Test func theModelCarriesTheSunset() {
        let document = Self.things("  - {name: a, in: query, deprecated: true, x-sunset: '2026-01-31T12:00:00Z', schema: {type: string}}")
        #expect(Snippet(document).model.operations.first?.parameters.first?.sunset == "2026-01-31")
        let item = Snippet(DiffSnippet.items("type: object\nproperties: {a: {type: string, deprecated: true, x-sunset: '2026-02-01'}}"))
        guard case .object(let shape)? = item.type("Item")?.kind else {
            Issue.record("Item is not an object")
            return
        }
        #expect(shape.properties.first?.sunset == "2026-02-01")
    }
}
