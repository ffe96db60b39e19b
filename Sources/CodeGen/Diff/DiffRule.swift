/// The rule that classified a change: a stable id (`request-property-max-length-decreased`) and
/// what the change does to clients and to the server.
public struct DiffRule: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    public var client: ChangeImpact
    public var server: ChangeImpact

    public init(_ id: String, client: ChangeImpact, server: ChangeImpact = .info) {
        self.id = id
        self.client = client
        self.server = server
    }

    /// A schema rule: `name` under `prefix` (`request-body`, `response-property`, …), its
    /// impacts from the effect and the way the value flows.
    public init(_ prefix: String, _ name: String, _ effect: SchemaEffect, flow: DataFlow) {
        let impacts = effect.impacts(for: flow)
        self.init("\(prefix)-\(name)", client: impacts.client, server: impacts.server)
    }

    public var isBreaking: Bool { client == .breaking || server == .breaking }

    /// The worst of the two sides.
    public var impact: ChangeImpact { max(client, server) }

    public var description: String { id }
}

extension DiffRule {
    // Paths and operations.
    static let operationAdded = DiffRule("operation-added", client: .info)
    static let operationRemoved = DiffRule("operation-removed", client: .breaking)
    static let deprecatedOperationRemoved = DiffRule("deprecated-operation-removed", client: .info)
    static let operationRemovedBeforeSunset = DiffRule("operation-removed-before-sunset", client: .breaking)
    static let operationDeprecated = DiffRule("operation-deprecated", client: .info)
    static let operationReinstated = DiffRule("operation-no-longer-deprecated", client: .info)
    static let operationSunsetEarlier = DiffRule("operation-sunset-moved-earlier", client: .warning)
    static let operationIdChanged = DiffRule("operation-id-changed", client: .warning)
    static let pathParameterRenamed = DiffRule("path-parameter-renamed", client: .info)

    // Parameters.
    static let requiredParameterAdded = DiffRule("request-parameter-required-added", client: .breaking)
    static let optionalParameterAdded = DiffRule("request-parameter-optional-added", client: .info)
    static let parameterRemoved = DiffRule("request-parameter-removed", client: .warning)
    static let deprecatedParameterRemoved = DiffRule("deprecated-request-parameter-removed", client: .info)
    static let parameterRemovedBeforeSunset = DiffRule("request-parameter-removed-before-sunset", client: .breaking)
    static let parameterBecameRequired = DiffRule("request-parameter-became-required", client: .breaking)
    static let parameterBecameOptional = DiffRule("request-parameter-became-optional", client: .info)
    static let parameterStyleChanged = DiffRule("request-parameter-style-changed", client: .breaking)
    static let parameterDeprecated = DiffRule("request-parameter-deprecated", client: .info)

    // Request bodies.
    static let requiredRequestBodyAdded = DiffRule("request-body-required-added", client: .breaking)
    static let optionalRequestBodyAdded = DiffRule("request-body-optional-added", client: .info)
    static let requestBodyRemoved = DiffRule("request-body-removed", client: .warning)
    static let requestBodyBecameRequired = DiffRule("request-body-became-required", client: .breaking)
    static let requestBodyBecameOptional = DiffRule("request-body-became-optional", client: .info)
    static let requestMediaTypeRemoved = DiffRule("request-body-media-type-removed", client: .breaking)
    static let requestMediaTypeAdded = DiffRule("request-body-media-type-added", client: .info)

    // Responses.
    static let successStatusRemoved = DiffRule("response-success-status-removed", client: .breaking)
    static let nonSuccessStatusRemoved = DiffRule("response-non-success-status-removed", client: .info)
    static let successStatusAdded = DiffRule("response-success-status-added", client: .info)
    static let nonSuccessStatusAdded = DiffRule("response-non-success-status-added", client: .info)
    static let responseMediaTypeRemoved = DiffRule("response-media-type-removed", client: .breaking)
    static let responseMediaTypeAdded = DiffRule("response-media-type-added", client: .info)
    static let requiredHeaderRemoved = DiffRule("response-required-header-removed", client: .breaking)
    static let optionalHeaderRemoved = DiffRule("response-optional-header-removed", client: .warning)
    static let headerBecameOptional = DiffRule("response-header-became-optional", client: .breaking)
    static let headerAdded = DiffRule("response-header-added", client: .info)

    // Security.
    static let securityAdded = DiffRule("security-requirement-added", client: .breaking)
    static let securityRelaxed = DiffRule("security-requirement-relaxed", client: .info)
    static let securitySchemeChanged = DiffRule("security-scheme-changed", client: .breaking)
}
