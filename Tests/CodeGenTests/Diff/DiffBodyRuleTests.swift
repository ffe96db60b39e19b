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

    @Test func addedRequestBodies() {
        let required = DiffSnippet(old: Self.post(nil), new: Self.post("{required: true, \(Self.json)}"))
        required.expect("request-body-required-added", client: .breaking)
        let optional = DiffSnippet(old: Self.post(nil), new: Self.post("{\(Self.json)}"))
        optional.expect("request-body-optional-added", client: .info)
    }

    @Test func requestBodyRequiredAndRemoved() {
        let required = DiffSnippet(old: Self.post("{\(Self.json)}"), new: Self.post("{required: true, \(Self.json)}"))
        required.expect("request-body-became-required", client: .breaking)
        let removed = DiffSnippet(old: Self.post("{\(Self.json)}"), new: Self.post(nil))
        removed.expect("request-body-removed", client: .warning)
    }

    @Test func requestMediaTypes() {
        let snippet = DiffSnippet(
            old: Self.post("{content: {application/json: {schema: {type: object}}, application/xml: {schema: {type: object}}}}"),
            new: Self.post("{content: {application/json: {schema: {type: object}}, text/plain: {schema: {type: string}}}}"))
        snippet.expect("request-body-media-type-removed", client: .breaking)
        snippet.expect("request-body-media-type-added", client: .info)
    }

    /// A parameter on the media type (`charset`) is the same media type.
    @Test func mediaTypeParametersAreIgnored() {
        let snippet = DiffSnippet(
            old: Self.post("{content: {application/json: {schema: {type: object}}}}"),
            new: Self.post("{content: {'application/json; charset=utf-8': {schema: {type: object}}}}"))
        #expect(snippet.report.changes.isEmpty, "\(snippet.ids)")
    }

    @Test func responseStatusCodes() {
        let snippet = DiffSnippet(
            old: Self.post(nil, responses: "responses: {'200': {description: ok}, '404': {description: no}}"),
            new: Self.post(nil, responses: "responses: {'201': {description: ok}, '422': {description: bad}}"))
        snippet.expect("response-success-status-removed", client: .breaking)
        snippet.expect("response-non-success-status-removed", client: .info)
        snippet.expect("response-success-status-added", client: .info)
        snippet.expect("response-non-success-status-added", client: .info)
        snippet.expectNothingElseBreaking(except: ["response-success-status-removed"])
    }

    @Test func responseMediaTypes() {
        let snippet = DiffSnippet(
            old: Self.post(
                nil,
                responses:
                    "responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}, application/xml: {schema: {type: object}}}}}"
            ),
            new: Self.post(
                nil,
                responses:
                    "responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}, text/csv: {schema: {type: string}}}}}"
            ))
        snippet.expect("response-media-type-removed", client: .breaking)
        snippet.expect("response-media-type-added", client: .info)
    }

    @Test func responseHeaders() {
        let snippet = DiffSnippet(
            old: Self.post(
                nil,
                responses: """
                    responses:
                      '200':
                        description: ok
                        headers:
                          X-Total: {required: true, schema: {type: integer}}
                          X-Page: {required: true, schema: {type: integer}}
                          X-Hint: {schema: {type: string}}
                    """),
            new: Self.post(
                nil,
                responses: """
                    responses:
                      '200':
                        description: ok
                        headers:
                          X-Page: {schema: {type: integer}}
                          X-Next: {schema: {type: string}}
                    """))
        snippet.expect("response-required-header-removed", client: .breaking)
        snippet.expect("response-optional-header-removed", client: .warning)
        snippet.expect("response-header-became-optional", client: .breaking)
        snippet.expect("response-header-added", client: .info)
    }
}
