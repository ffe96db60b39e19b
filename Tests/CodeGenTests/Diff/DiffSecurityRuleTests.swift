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

    @Test func securityAddedToAPublicOperation() {
        let snippet = DiffSnippet(old: Self.api(security: "security: []"), new: Self.api(security: "security: [{bearer: []}]"))
        snippet.expect("security-requirement-added", client: .breaking)
    }

    @Test func anotherAlternativeRelaxesSecurity() {
        let snippet = DiffSnippet(
            old: Self.api(security: "security: [{bearer: []}]"), new: Self.api(security: "security: [{bearer: []}, {key: []}]"))
        snippet.expect("security-requirement-relaxed", client: .info)
        snippet.expectNothingElseBreaking()
    }

    @Test func anotherSchemeOrScopeIsBreaking() {
        let scheme = DiffSnippet(
            old: Self.api(security: "security: [{bearer: []}]"), new: Self.api(security: "security: [{bearer: [], key: []}]"))
        scheme.expect("security-requirement-added", client: .breaking)
        let scope = DiffSnippet(
            old: Self.api(security: "security: [{bearer: [read]}]"), new: Self.api(security: "security: [{bearer: [read, write]}]"))
        scope.expect("security-requirement-added", client: .breaking)
    }

    @Test func schemeChangesHowCredentialsTravel() {
        let snippet = DiffSnippet(
            old: Self.api(security: "security: [{bearer: []}]"),
            new: Self.api(security: "security: [{bearer: []}]", scheme: "{type: http, scheme: basic}"))
        snippet.expect("security-scheme-changed", client: .breaking)
    }
}
