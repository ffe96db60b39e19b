import Foundation
import OpenAPI

/// What every emitter reads: the document reduced to named types and operations.
public struct APIModel: Sendable {
    public var title: String
    public var version: String
    public var types: [NamedType]
    public var operations: [APIOperation]
    /// Operation groups (protocols) in first-use order.
    public var groups: [String]
    public var securitySchemes: OrderedMap<SecurityScheme>
    public var diagnostics: [Diagnostic]
    /// Headers types of response components, in first-use order.
    public var responseHeaders: [SharedResponseHeaders] = []
    /// The document's webhooks (3.1), in the `Webhooks` group; `path` holds the webhook's name.
    public var webhooks: [APIOperation] = []
    /// 3.2's `additionalOperations` (methods beyond `HTTPMethod`), built only for `specgen diff`.
    public var additionalOperations: [APIOperation] = []
    /// The document's `x-websockets` entries, read once; their diagnostics are in `diagnostics`.
    public var webSockets: [WebSocketChannel] = []
    /// The named types only the server sends (in responses, webhook bodies, WebSocket
    /// messages), never reads: the defaults it applies (`Property.appliesDefault`) are always
    /// there, so TypeScript makes those properties required.
    public var serverSentTypes: Set<String> = []
    /// The `x-db-table` schemas as tables, referenced tables first; each names its row type.
    public var tables: [SQLTable] = []
    /// Why no SQL may be generated from `tables` (the document did not load, has errors, or
    /// its tables do); `nil` when they are fit to generate from. The reasons themselves are
    /// among `diagnostics`.
    public var tablesProblem: String?
    /// Where the document starts, for diagnostics that belong to no schema.
    public var documentLocation: SourceLocation?
    /// The entry document's file, as reference keys (`componentKey`) spell it before `#`.
    public var entryFile = ""

    private var typeIndex: [String: Int]

    init(
        title: String, version: String, types: [NamedType], operations: [APIOperation],
        securitySchemes: OrderedMap<SecurityScheme>, diagnostics: [Diagnostic]
    ) {
        self.title = title
        self.version = version
        self.types = types
        self.operations = operations
        self.securitySchemes = securitySchemes
        self.diagnostics = diagnostics
        var groups: [String] = []
        for operation in operations where !groups.contains(operation.group) { groups.append(operation.group) }
        self.groups = groups
        var index: [String: Int] = [:]
        for (offset, type) in types.enumerated() { index[type.name] = offset }
        typeIndex = index
    }

    /// Names of the entry's component schemas that are internal (never published).
    public var internalComponentNames: Set<String> {
        var names: Set<String> = []
        for type in types where type.isInternal {
            guard let key = type.componentKey, let marker = key.range(of: "#/components/schemas/") else { continue }
            let escaped = key[marker.upperBound...]
            guard !escaped.contains("/") else { continue }
            names.insert(JSONPointer.unescape(escaped))
        }
        return names
    }

    public func type(named name: String) -> NamedType? {
        typeIndex[name].map { types[$0] }
    }

    /// The named types by name, as a value two words wide: `specgen diff` reads types by the
    /// hundred thousand, and each copy of the whole model for it retained every one of its fields.
    public var typeTable: TypeTable { TypeTable(types: types, offsets: typeIndex) }

    /// What a value of `type` must satisfy, with `constraints` stated at its use: a named alias
    /// (`Name: {type: string, minLength: 1}`, `Names: {type: array, maxItems: 3}`) is seen through
    /// to the type it stands for, its own constraints joining the use site's (which win). So a
    /// property, an item or a variant naming an alias is checked as if the alias were written there.
    public func resolvingAliases(_ type: TypeRef, _ constraints: Constraints) -> (TypeRef, Constraints) {
        typeTable.resolvingAliases(type, constraints)
    }

    /// Builds the model from a loaded document.
    public static func build(from spec: LoadedSpec) -> APIModel {
        ModelBuilder(spec: spec).build()
    }

    /// The model `specgen diff` compares: the same types and operations, with the callbacks and
    /// `additionalOperations` no emitter reads, and without tables, WebSocket channels and what
    /// only code generation needs.
    public static func buildForComparison(from spec: LoadedSpec) -> APIModel {
        ModelBuilder(spec: spec, purpose: .comparison).build()
    }

    /// What is wrong with the document's `x-websockets`, as `build` reports it, without building
    /// the rest: for `specgen lint`, which checks the document only.
    public static func webSocketDiagnostics(for spec: LoadedSpec) -> [Diagnostic] {
        WebSocketReader.read(spec).diagnostics
    }
}
