import Testing

@testable import CodeGen

/// Request bodies, responses, media types and headers.
@Suite struct DiffBodyRuleTests {
    static func post(_ body: String?, responses: String = "responses: {'200': {description: ok}}") -> String {
        let requestBody = body.map { "requestBody: \($0)\n" } ?? ""
        return Snippet.document(
            paths: "/items:\n  post:\n" + (requestBody + responses).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    }

    static let json = "content: {application/json: {schema: {type: object}}}"

    static func body(_ name: String, _ old: String?, _ new: String?, exactIDs: [String]? = nil, _ expected: DiffCase.Expectation...)
        -> DiffCase
    {
        DiffCase(name: name, old: post(old), new: post(new), expected: expected, exactIDs: exactIDs)
    }

    static func responses(
        _ name: String, _ old: String, _ new: String, nothingElseBreakingExcept: Set<String>? = nil,
        _ expected: DiffCase.Expectation...
    ) -> DiffCase {
        DiffCase(
            name: name, old: post(nil, responses: old), new: post(nil, responses: new), expected: expected,
            nothingElseBreakingExcept: nothingElseBreakingExcept)
    }

    static let cases: [DiffCase] = [
        body("a required request body added", nil, "{required: true, \(json)}", .rule("request-body-required-added", .breaking)),
        body("an optional request body added", nil, "{\(json)}", .rule("request-body-optional-added", .info)),
        body("a request body became required", "{\(json)}", "{required: true, \(json)}", .rule("request-body-became-required", .breaking)),
        body("a request body became optional", "{required: true, \(json)}", "{\(json)}", .rule("request-body-became-optional", .info)),
        body("a request body removed", "{\(json)}", nil, .rule("request-body-removed", .warning)),
        body(
            "request media types",
            "{content: {application/json: {schema: {type: object}}, application/xml: {schema: {type: object}}}}",
            "{content: {application/json: {schema: {type: object}}, text/plain: {schema: {type: string}}}}",
            .rule("request-body-media-type-removed", .breaking), .rule("request-body-media-type-added", .info)),
        // A parameter on the media type (`charset`) is the same media type.
        body(
            "media type parameters are ignored", "{content: {application/json: {schema: {type: object}}}}",
            "{content: {'application/json; charset=utf-8': {schema: {type: object}}}}", exactIDs: []),
        responses(
            "response status codes", "responses: {'200': {description: ok}, '404': {description: no}}",
            "responses: {'201': {description: ok}, '422': {description: bad}}",
            nothingElseBreakingExcept: ["response-success-status-removed"],
            .rule("response-success-status-removed", .breaking), .rule("response-non-success-status-removed", .info),
            .rule("response-success-status-added", .info), .rule("response-non-success-status-added", .info)),
        responses(
            "response media types",
            "responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}, application/xml: {schema: {type: object}}}}}",
            "responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}, text/csv: {schema: {type: string}}}}}",
            .rule("response-media-type-removed", .breaking), .rule("response-media-type-added", .info)),
        responses(
            "response headers",
            """
            responses:
              '200':
                description: ok
                headers:
                  X-Total: {required: true, schema: {type: integer}}
                  X-Page: {required: true, schema: {type: integer}}
                  X-Hint: {schema: {type: string}}
            """,
            """
            responses:
              '200':
                description: ok
                headers:
                  X-Page: {schema: {type: integer}}
                  X-Next: {schema: {type: string}}
            """,
            .rule("response-required-header-removed", .breaking), .rule("response-optional-header-removed", .warning),
            .rule("response-header-became-optional", .breaking), .rule("response-header-added", .info)),
    ]

    @Test(arguments: cases) func rule(_ row: DiffCase) { row.check() }
}
