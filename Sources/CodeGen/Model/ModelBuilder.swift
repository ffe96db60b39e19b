import Foundation
import OpenAPI

/// Reduces a loaded document to the `APIModel`: names every component schema, hoists inline
/// objects, enums and unions under names derived from where they stand, and resolves each
/// operation's parameters, bodies, responses and security.
final class ModelBuilder {
    private let spec: LoadedSpec
    private let references: ReferenceTable
    private var types: [NamedType] = []
    private var takenTypeNames: Set<String> = []
    /// Named type for each schema object already seen (components, refs, hoisted inline schemas).
    private var namesBySchema: [ObjectIdentifier: String] = [:]
    /// Named type for each `$ref` key.
    private var namesByReference: [String: String] = [:]
    private var diagnostics: [Diagnostic] = []
    /// Schemas' JSON pointers (`NamedType.pointer`); empty for a comparison, which matches
    /// types by shape, not identity (walking a large document for them cost a tenth of a build).
    private let pointers: SchemaPointers
    private let entryFile: String
    private let purpose: Purpose
    private var comparisonTypeCount = 0

    /// What the model is for: code generation, or `specgen diff`, which also reads what no
    /// emitter generates (callbacks, 3.2's `additionalOperations`) and skips what only emitters
    /// read (tables, WebSocket channels, partial updates): it builds two models per run.
    enum Purpose {
        case generation
        case comparison
    }

    init(spec: LoadedSpec, purpose: Purpose = .generation) {
        self.spec = spec
        self.purpose = purpose
        self.references = spec.references
        pointers = SchemaPointers(spec: spec, walking: purpose == .generation)
        entryFile = spec.trees.first?.file ?? ""
        // Names generated code relies on in both languages; a schema called `Error` becomes `ErrorSchema`.
        takenTypeNames = Self.reservedTypeNames.union(Self.runtimeTypeNames)
    }

    /// The public types of `ServerRuntime`, which generated Swift and the app use unqualified
    /// beside the generated ones: a schema of the same name would shadow one in generated code
    /// (`Pattern`, `Patch`) or make it ambiguous in the app (`ValidationError`), so it gets a
    /// `Schema` suffix too. FastAPI's own error bodies keep their names: they are the runtime's
    /// types (see `RuntimeTypes`).
    static let runtimeTypeNames: Set<String> = [
        "APIApplication", "APIConfiguration", "APIRequestContext", "APIResponse", "ArrayRules", "AuthenticatedPrincipal",
        "BearerToken", "CORSPolicy", "CORSPolicyMiddleware", "Constraint", "ContentType", "DecodableSchemaValue",
        "DocsConfiguration", "DocsRoutes", "EmailAddress", "ErrorMiddleware", "FieldLocation", "HTTPValidationError",
        "HeaderValue", "JSONObject", "JSONParseError", "JSONParser", "JSONValueDecoder", "JSONValueEncoder", "JSONWriter",
        "LocationSegment", "MultipartForm", "MultipartPart", "NumberRules", "ParameterStyle", "Patch", "Pattern", "RFC",
        "RequestIdentifier", "RequestReader", "RouteConfiguration", "SchemaCodingKey", "SchemaEnum", "SchemaModel",
        "SchemaValue", "SecurityHandler", "SecurityRequirements", "StaticAssets", "StoredText", "StringFormat",
        "StringRules", "URLEncodedPairs", "UUIDText", "ValidationError", "ValidationErrors", "ValidationIssue",
        "ValidationPath",
    ]

    /// Runtime names a component took because it is the runtime's type (FastAPI's error bodies).
    private var claimedRuntimeNames: Set<String> = []

    /// Whether the component `key` is FastAPI's error body the runtime declares under that name:
    /// the same rule `RuntimeTypes` replaces it by.
    private func isRuntimeErrorBody(_ key: String, _ schema: Schema) -> Bool {
        let names = Set(references.resolve(schema).properties.keys)
        switch key {
        case "ValidationError": return names.isSuperset(of: ["loc", "msg", "type"])
        case "HTTPValidationError": return names == ["detail"]
        default: return false
        }
    }

    static let reservedTypeNames: Set<String> = [
        "Type", "Protocol", "Self", "Any", "String", "Int", "Double", "Float", "Bool", "Date", "UUID", "Data",
        "Array", "Dictionary", "Optional", "Codable", "Decoder", "Encoder", "Error", "Result", "Set", "Object",
        "CodingKeys", "Indirect", "JSONValue", "Int32", "Int64", "Character", "Never", "Void", "Sendable",
        "Hashable", "Equatable", "Foundation", "Record", "Partial", "Promise", "Response", "Request", "Blob",
        "Number", "Boolean", "Symbol", "Function", "Map", "Readonly", "Omit", "Pick", "URL", "Headers",
        "components", "paths", "operations", "webhooks", "ApiClient", "HTTPError", "OperationContext",
        "ResponseHeaders", "Webhooks", "Operations", "Input", "Output",
    ]

    /// A unique type name; reserved words get a `Schema` suffix before numbering. A comparison
    /// model numbers its types instead: `specgen diff` matches types by shape and component, never
    /// by name, and naming every hoisted type was a third of building a large document's model.
    private func claimTypeName(_ raw: @autoclosure () -> String, isRuntimeType: Bool = false) -> String {
        if purpose == .comparison {
            comparisonTypeCount += 1
            return "T\(comparisonTypeCount)"
        }
        let base = Naming.typeName(raw())
        if isRuntimeType, Self.runtimeTypeNames.contains(base), claimedRuntimeNames.insert(base).inserted {
            return base
        }
        if Self.reservedTypeNames.contains(base) || Self.runtimeTypeNames.contains(base) {
            return Naming.unique(base + "Schema", in: &takenTypeNames)
        }
        return Naming.unique(base, in: &takenTypeNames)
    }

    func build() -> APIModel {
        guard let document = spec.document else {
            var model = APIModel(
                title: "", version: "", types: [], operations: [], securitySchemes: OrderedMap(), diagnostics: [])
            model.tablesProblem = "the document did not load"
            model.documentLocation = SourceLocation(file: spec.files.first ?? "the document", line: 1, column: 1)
            return model
        }
        let entryFile = spec.trees.first?.file ?? ""
        // Component names are claimed first so hoisted types never take them.
        var componentNames: [(key: String, name: String, schema: Schema)] = []
        for (key, schema) in document.components.schemas {
            let name = claimTypeName(key, isRuntimeType: isRuntimeErrorBody(key, schema))
            let referenceKey = "\(entryFile)#/components/schemas/\(escape(key))"
            namesByReference[referenceKey] = name
            namesBySchema[ObjectIdentifier(schema)] = name
            componentNames.append((referenceKey, name, schema))
        }
        for component in componentNames {
            declare(component.schema, as: component.name, componentKey: component.key)
        }
        let operations = buildOperations(document)
        let webhooks = buildWebhooks(document)
        var schemes = OrderedMap<SecurityScheme>()
        for (name, scheme) in document.components.securitySchemes {
            if let resolved = references.resolve(scheme) { schemes[name] = resolved }
        }
        if purpose == .comparison {
            let additional = buildAdditionalOperations(document)
            var model = APIModel(
                title: document.info.title, version: document.info.version, types: types, operations: operations,
                securitySchemes: schemes, diagnostics: diagnostics)
            model.webhooks = webhooks
            model.additionalOperations = additional
            model.documentLocation = document.location
            model.entryFile = entryFile
            return model
        }
        let webSockets = buildWebSockets()
        checkInternalTypes(operations + webhooks)
        markPartialUpdates(operations)
        let tables = buildTables()
        var model = APIModel(
            title: document.info.title, version: document.info.version, types: types, operations: operations,
            securitySchemes: schemes, diagnostics: diagnostics)
        model.responseHeaders = sharedHeaders
        model.webhooks = webhooks
        model.webSockets = webSockets
        model.tables = tables.tables
        model.tablesProblem = tables.problem
        model.serverSentTypes = serverSentTypes(model)
        model.documentLocation = document.location
        model.entryFile = entryFile
        return model
    }

    /// The named types only the server sends: reachable from responses (and the bodies of
    /// webhooks, which the server sends too), never from what clients send (request bodies,
    /// parameters, webhooks' answers).
    private func serverSentTypes(_ model: APIModel) -> Set<String> {
        var sent: [TypeRef] = []
        var received: [TypeRef] = []
        for operation in model.operations {
            received += operation.parameters.map(\.type) + (operation.requestBody?.contents.map(\.type) ?? [])
            for response in operation.responses { sent += response.contents.map(\.type) }
        }
        for webhook in model.webhooks {
            sent += webhook.parameters.map(\.type) + (webhook.requestBody?.contents.map(\.type) ?? [])
            for response in webhook.responses { received += response.contents.map(\.type) }
        }
        for channel in model.webSockets {
            if let name = channel.messageType { sent.append(.named(name)) }
        }
        return model.namedTypes(reachableFrom: sent).subtracting(model.namedTypes(reachableFrom: received))
    }

    /// The tables of the `x-db-table` schemas, each naming the row type its schema became. A
    /// document the loader found errors in (a dangling `$ref`, say) would read as different
    /// tables and could produce a migration nobody meant, so its tables are marked unfit.
    private func buildTables() -> (tables: [SQLTable], problem: String?) {
        if spec.hasErrors { return ([], "the document has errors") }
        let (built, tableDiagnostics) = SQLTableBuilder.build(spec)
        diagnostics += tableDiagnostics
        let entryFile = spec.trees.first?.file ?? ""
        let tables = built.map { table in
            var named = table
            if let schemaName = table.schemaName {
                named.typeName = namesByReference["\(entryFile)#/components/schemas/\(escape(schemaName))"]
            }
            return named
        }
        let isUsable = !tableDiagnostics.contains { $0.severity == .error }
        return (tables, isUsable ? nil : "its tables have errors")
    }

    /// The `x-websockets` channels, each naming the type of its messages; a channel whose
    /// messages are an internal schema is an error, as a published operation using one is.
    private func buildWebSockets() -> [WebSocketChannel] {
        let (channels, channelDiagnostics) = WebSocketReader.read(spec)
        diagnostics += channelDiagnostics
        return channels.map { channel in
            var typed = channel
            guard let component = channel.messageComponent,
                let name = namesByReference["\(entryFile)#/components/schemas/\(escape(component))"]
            else { return typed }
            typed.messageType = name
            if let type = types.first(where: { $0.name == name }), type.isInternal {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "x-websockets entry '\(channel.path)' sends '\(name)', which is internal (x-db-table or x-internal) and is left out of the published document",
                        at: channel.location))
            }
            return typed
        }
    }

    /// Headers types of response components, and their names by the component's reference key.
    private var sharedHeaders: [SharedResponseHeaders] = []
    private var sharedHeadersByKey: [String: String] = [:]
    private var takenSharedHeaderNames: Set<String> = []

    private func escape(_ key: String) -> String { JSONPointer.escape(key) }

    // MARK: Types

    /// The type of a value described by `schema`, hoisting it under `suggestedName` when it
    /// needs a declaration of its own.
    func typeRef(_ schema: Schema, suggestedName: @autoclosure () -> String) -> (TypeRef, Constraints) {
        if let name = namesBySchema[ObjectIdentifier(schema)] {
            return (nullable(.named(name), if: acceptsNull(schema)), Constraints())
        }
        // `true` accepts anything. `false` accepts nothing: where it means something (a property
        // that may not be present, `items: false`, a variant never taken) it is read there; anywhere
        // else no generated type can say it.
        if let accepted = schema.booleanValue {
            if !accepted {
                warn("the schema 'false' accepts no value, but the generated types accept any value here", at: schema.location)
            }
            return (.any, Constraints())
        }
        if let ref = schema.ref {
            let (target, constraints) = referencedType(ref)
            return (nullable(target, if: acceptsNull(schema)), mergeSiblingConstraints(constraints, schema))
        }
        // FastAPI writes optional fields as anyOf [X, null]; Stripe as anyOf [X] beside
        // `nullable: true` and a description. Either is X (or null): no union of one.
        if let variant = soleVariant(schema) {
            let (inner, constraints) = typeRef(variant, suggestedName: suggestedName())
            return (nullable(inner.nonNull, if: acceptsNull(schema)), mergeSiblingConstraints(constraints, schema))
        }
        // One member, or one beside members of annotations alone: that member's type.
        if let allOf = schema.allOf.map(substantive), allOf.count == 1, schema.properties.isEmpty, schema.oneOf == nil,
            schema.anyOf == nil
        {
            let (inner, constraints) = typeRef(allOf[0], suggestedName: suggestedName())
            // `allOf: [$ref]` beside `maxLength: 3`: both apply.
            return (wrapNullable(inner, schema), mergeSiblingConstraints(constraints, schema))
        }
        if let (type, constraints) = scalarAllOf(schema, suggestedName: suggestedName()) {
            return (wrapNullable(type, schema), constraints)
        }
        if needsDeclaration(schema) {
            let name = claimTypeName(suggestedName())
            namesBySchema[ObjectIdentifier(schema)] = name
            declare(schema, as: name, componentKey: nil)
            return (nullable(.named(name), if: acceptsNull(schema)), Constraints())
        }
        return inlineType(schema, suggestedName: suggestedName())
    }

    /// `allOf` whose members all describe one scalar or array value (`[{$ref: Code}, {maxLength:
    /// 4}]`): that value, typed by its first typed member, with every member's constraints and the
    /// schema's own. It was an object, so a valid string was refused. Nil when a member is or may
    /// be an object, composes further, or more than one member is a `$ref` (whose constraints
    /// would have to be merged with each other's).
    private func scalarAllOf(_ schema: Schema, suggestedName: @autoclosure () -> String) -> (TypeRef, Constraints)? {
        guard let members = schema.allOf, members.count > 1, schema.properties.isEmpty, schema.oneOf == nil,
            schema.anyOf == nil, schema.additionalProperties == nil, !schema.nonNullTypes.contains(.object),
            members.filter({ $0.ref != nil }).count <= 1
        else { return nil }
        var typed: Schema?
        for member in members {
            let part = references.resolve(member)
            guard part.properties.isEmpty, part.allOf == nil, part.oneOf == nil, part.anyOf == nil,
                part.additionalProperties == nil, !part.nonNullTypes.contains(.object)
            else { return nil }
            // The `$ref` member, when typed, gives the type: its own constraints then stay with it.
            if typed == nil || member.ref != nil, !part.nonNullTypes.isEmpty || part.enumValues != nil { typed = member }
        }
        guard let typed else {
            let merged = members.reduce(Constraints()) { constraints($1).merged(over: $0) }
            // `{type: string, allOf: [{minLength: 1}, {maxLength: 3}]}`: the schema's own type.
            if !schema.nonNullTypes.isEmpty {
                let (type, own) = inlineType(schema, suggestedName: suggestedName())
                return (type.nonNull, own.merged(over: merged))
            }
            // Only annotations and constraints (`allOf: [{}, {description: …}]`): any value.
            return (.any, constraints(schema).merged(over: merged))
        }
        var (type, merged) = typeRef(typed, suggestedName: suggestedName())
        for member in members where member !== typed {
            merged = constraints(member).merged(over: merged)
        }
        return (type, constraints(schema).merged(over: merged))
    }

    private func referencedType(_ ref: Reference) -> (TypeRef, Constraints) {
        if let name = namesByReference[ref.key] { return (.named(name), Constraints()) }
        guard let target = references.schemas[ref.key] else {
            // The loader already reported the dangling reference.
            return (.any, Constraints())
        }
        if let name = namesBySchema[ObjectIdentifier(target)] {
            namesByReference[ref.key] = name
            return (.named(name), Constraints())
        }
        // A schema in another file, or deep inside a component: it gets a declaration of its own.
        let name = claimTypeName(ref.name)
        namesByReference[ref.key] = name
        namesBySchema[ObjectIdentifier(target)] = name
        declare(target, as: name, componentKey: ref.key)
        return (.named(name), Constraints())
    }

    /// The constraints a schema states beside a `$ref` or a single `allOf` member, over the
    /// member's: every keyword, not only lengths and bounds (a `pattern` beside a `$ref` was lost).
    private func mergeSiblingConstraints(_ base: Constraints, _ schema: Schema) -> Constraints {
        constraints(schema).merged(over: base)
    }

    private func isNullSchema(_ schema: Schema) -> Bool { SchemaRules.isNullSchema(schema) }

    private func wrapNullable(_ type: TypeRef, _ schema: Schema) -> TypeRef {
        nullable(type, if: schema.isNullable)
    }

    private func nullable(_ type: TypeRef, if accepted: Bool) -> TypeRef {
        accepted && !type.isNullable ? .nullable(type) : type
    }

    func acceptsNull(_ schema: Schema) -> Bool { SchemaRules.acceptsNull(schema, references: references) }

    func isAnnotationOnly(_ schema: Schema) -> Bool { SchemaRules.isAnnotationOnly(schema) }

    /// The one alternative of an `anyOf`/`oneOf` that has a single member besides `null` and
    /// annotations, when nothing else beside it shapes the value: the value is that member's
    /// (or null). A discriminator still constrains its property, a `type`, `enum`, `items` or
    /// `properties` beside it still apply, so those keep their union or object.
    private func soleVariant(_ schema: Schema) -> Schema? {
        guard let alternatives = schema.anyOf ?? schema.oneOf, schema.anyOf == nil || schema.oneOf == nil,
            schema.properties.isEmpty, schema.allOf == nil, schema.discriminator == nil,
            schema.nonNullTypes.isEmpty, schema.enumValues == nil, schema.constValue == nil,
            schema.additionalProperties == nil, schema.items == nil, schema.prefixItems == nil
        else { return nil }
        let members = alternatives.filter { !isNullSchema($0) && !isAnnotationOnly($0) }
        // An annotation-only alternative accepts anything, so the union is not narrowed to one.
        guard members.count == 1, !alternatives.contains(where: { isAnnotationOnly($0) }) else { return nil }
        return members[0]
    }

    /// The `allOf` members that say something about the value.
    private func substantive(_ members: [Schema]) -> [Schema] {
        members.filter { !isAnnotationOnly($0) }
    }

    private func needsDeclaration(_ schema: Schema) -> Bool { SchemaRules.needsDeclaration(schema) }

    private func isMultiType(_ schema: Schema) -> Bool { SchemaRules.isMultiType(schema) }

    private func inlineType(_ schema: Schema, suggestedName: @autoclosure () -> String) -> (TypeRef, Constraints) {
        let constraints = constraints(schema)
        let types = schema.nonNullTypes
        var type: TypeRef
        var withItems = constraints
        switch types.count == 1 ? types[0] : nil {
        case .string?: type = .primitive(stringPrimitive(schema.format))
        case .integer?:
            type = .primitive(schema.format == "int32" ? .int32 : schema.format == "int64" ? .int64 : .integer)
        case .number?:
            type = .primitive(schema.format == "float" ? .float : schema.format == "double" ? .double : .number)
        case .boolean?: type = .primitive(.boolean)
        case .array?:
            (type, withItems) = arrayType(schema, constraints, suggestedName: suggestedName())
        case .object?:
            type = dictionaryType(schema, suggestedName: suggestedName())
        case .null?:
            type = .nullable(.any)
        case nil:
            // A schema with properties is declared, never written in place: never an object here.
            switch SchemaRules.impliedType(schema) {
            case .array?: (type, withItems) = arrayType(schema, constraints, suggestedName: suggestedName())
            case .object?: type = dictionaryType(schema, suggestedName: suggestedName())
            case .string?: type = .primitive(stringPrimitive(schema.format))
            default: type = .any
            }
        }
        return (wrapNullable(type, schema), withItems)
    }

    /// An array's element type and `constraints` with what `items` and `prefixItems` add: the
    /// items' constraints, or a tuple. A tuple whose positions differ from its rest has elements
    /// of any JSON value, which is all Swift can hold; TypeScript types each position, and the
    /// server's validator reads each position (and the rest) as its own type, named types
    /// included. `items: false` adds `maxItems`: the positions, or nothing.
    private func arrayType(_ schema: Schema, _ constraints: Constraints, suggestedName: @autoclosure () -> String) -> (TypeRef, Constraints)
    {
        var result = constraints
        let items = schema.items.map { references.resolve($0) }
        let closed = items?.booleanValue == false
        var rest: (type: TypeRef, constraints: Constraints)?
        if let items = schema.items, !closed { rest = typeRef(items, suggestedName: suggestedName() + "Item") }
        let prefix = schema.prefixItems ?? []
        if prefix.isEmpty, !closed {
            guard let rest else { return (.array(.any), result) }
            if !rest.constraints.isEmpty { result.items = Box(rest.constraints) }
            return (.array(rest.type), result)
        }
        let positions = prefix.enumerated().map { offset, position in
            let (type, own) = typeRef(position, suggestedName: suggestedName() + "Item\(offset + 1)")
            return TupleShape.Position(type: type, constraints: own)
        }
        if closed { result.maxItems = min(result.maxItems ?? positions.count, positions.count) }
        // Every position typed as the rest: a plain array after all.
        if let rest, positions.allSatisfy({ $0.type == rest.type && $0.constraints == rest.constraints }) {
            if !rest.constraints.isEmpty { result.items = Box(rest.constraints) }
            return (.array(rest.type), result)
        }
        var tuple = TupleShape(positions: positions, rest: closed ? nil : rest?.type ?? .any)
        tuple.restConstraints = rest?.constraints ?? Constraints()
        tuple.requiredCount = min(constraints.minItems ?? 0, positions.count)
        result.tuple = Box(tuple)
        return (.array(.any), result)
    }

    private func dictionaryType(_ schema: Schema, suggestedName: @autoclosure () -> String) -> TypeRef {
        switch schema.additionalProperties {
        case .schema(let values)?: return .dictionary(typeRef(values, suggestedName: suggestedName() + "Value").0)
        default: return .dictionary(.any)
        }
    }

    private func stringPrimitive(_ format: String?) -> TypeRef.Primitive {
        switch format {
        case "uuid": .uuid
        case "date-time": .dateTime
        case "date": .date
        case "byte": .byte
        case "binary": .binary
        default: .string
        }
    }

    func constraints(_ schema: Schema) -> Constraints { SchemaRules.constraints(schema) }

    /// Declares `schema` as the named type `name`.
    private func declare(_ schema: Schema, as name: String, componentKey: String?) {
        let resolved = references.resolve(schema)
        let index = types.count
        let isInternal = Self.isInternal(schema)
        if isInternal { internalDepth += 1 }
        defer { if isInternal { internalDepth -= 1 } }
        // Reserve the slot first: properties may refer back to this type.
        types.append(
            NamedType(
                name: name, kind: .alias(.any, Constraints()), description: resolved.description ?? schema.description,
                deprecated: schema.deprecated, componentKey: componentKey, location: schema.location))
        types[index].isInternal = internalDepth > 0
        types[index].pointer = identity(of: schema, componentKey: componentKey)
        types[index].isOpenEnum = schema.extensions["x-enum-open"] == .bool(true)
        types[index].title = resolved.title ?? schema.title
        types[index].valueDescriptions = valueDescriptions(resolved)
        if schema.extensions["x-patch"] == .bool(true) { patchSchemaNames.insert(name) }
        types[index].kind = kind(of: schema, name: name)
    }

    /// A component's key without the entry file's name, or where the schema stands.
    private func identity(of schema: Schema, componentKey: String?) -> String? {
        if let key = componentKey {
            return key.hasPrefix(entryFile + "#") ? String(key.dropFirst(entryFile.count)) : key
        }
        return pointers.pointer(for: schema)
    }

    /// Per-value documentation of an enum: `x-enum-descriptions` (a list beside `enum`, or a
    /// map from value to text), else the names of `x-enumNames` (NSwag) or `x-enum-varnames`
    /// (openapi-generator). A list of another length than `enum` is a warning, not a guess.
    private func valueDescriptions(_ schema: Schema) -> [String: String] {
        guard let values = schema.enumValues, !values.isEmpty else { return [:] }
        var result: [String: String] = [:]
        func text(_ value: JSONValue) -> String { value.stringValue ?? value.jsonText }
        for key in ["x-enumNames", "x-enum-varnames", "x-enum-descriptions"] {
            switch schema.extensions[key] {
            case .array(let entries)?:
                guard entries.count == values.count else {
                    warn("'\(key)' has \(entries.count) entries for \(values.count) enum values; it is ignored", at: schema.location)
                    continue
                }
                for (value, entry) in zip(values, entries) {
                    if let entry = entry.stringValue, !entry.isEmpty { result[text(value)] = entry }
                }
            case .object(let members)? where key == "x-enum-descriptions":
                for (value, entry) in members {
                    if let entry = entry.stringValue, !entry.isEmpty { result[value] = entry }
                }
            default: continue
            }
        }
        return result
    }

    /// Reserves the slot of a type that has no schema of its own (a part of one), before its
    /// kind is known: its parts may refer back to it.
    private func appendHoisted(_ name: String, placeholder: NamedType.Kind, at location: SourceLocation, pointer: String?) -> Int {
        var type = NamedType(name: name, kind: placeholder, description: nil, componentKey: nil, location: location)
        type.pointer = pointer
        type.isInternal = internalDepth > 0
        type.isPart = true
        types.append(type)
        return types.count - 1
    }

    /// Partial updates: the objects a `PATCH` body is, and schemas with `x-patch: true`. Their
    /// optional nullable properties keep absent and `null` apart, and their defaults are not
    /// applied (an absent field must stay absent: pydantic's `exclude_unset`). Every other
    /// optional property with a default has it applied.
    private func markPartialUpdates(_ operations: [APIOperation]) {
        var partial = patchSchemaNames
        for operation in operations where operation.method == .patch {
            for content in operation.requestBody?.contents ?? [] {
                var type = content.type.nonNull
                var hops = 0
                while case .named(let name) = type, let index = typeIndex(name), hops < 32 {
                    if case .alias(let target, _) = types[index].kind {
                        type = target.nonNull
                        hops += 1
                        continue
                    }
                    partial.insert(name)
                    break
                }
            }
        }
        for index in types.indices {
            guard case .object(var shape) = types[index].kind else { continue }
            let isPartial = partial.contains(types[index].name)
            for offset in shape.properties.indices where !shape.properties[offset].required {
                if isPartial {
                    shape.properties[offset].isPatch = shape.properties[offset].type.isNullable
                } else if let value = shape.properties[offset].defaultValue, value != .null {
                    let property = shape.properties[offset]
                    if canApplyDefault(value, to: property.type) {
                        shape.properties[offset].appliesDefault = true
                    } else {
                        warn(
                            "the default \(value.jsonText) of '\(property.jsonName)' is not applied while decoding (only a string, a uuid, a date-time, a number, a boolean, an enum value or a list of them is), so the property stays optional",
                            at: property.location ?? types[index].location)
                    }
                }
            }
            types[index].kind = .object(shape)
        }
    }

    /// Whether decoding can fill in `value` for an absent property of `type`: a string, number or
    /// boolean of the type's JSON type, a value of an enum, or a list of those. Every emitter
    /// reads `appliesDefault`, so the Swift literal and the TypeScript requiredness agree.
    private func canApplyDefault(_ value: JSONValue, to type: TypeRef, depth: Int = 0) -> Bool {
        guard depth < 16 else { return false }
        switch (type.nonNull, value) {
        case (.primitive(.string), .string), (.primitive(.date), .string), (.primitive(.boolean), .bool): return true
        case (.primitive(.uuid), .string(let text)): return FormattedDefault.uuid(text) != nil
        case (.primitive(.dateTime), .string(let text)): return FormattedDefault.dateTimeSeconds(text) != nil
        case (.primitive(let primitive), .integer):
            return [.integer, .int32, .int64, .number, .float, .double].contains(primitive)
        case (.primitive(let primitive), .number(let number)):
            return [.number, .float, .double].contains(primitive) && number.isFinite
        case (.array(let element), .array(let items)):
            return items.allSatisfy { canApplyDefault($0, to: element, depth: depth + 1) }
        case (.named(let name), _):
            guard let index = typeIndex(name) else { return false }
            switch types[index].kind {
            case .stringEnum(let values):
                guard let text = value.stringValue, case .string = value else { return false }
                return types[index].isOpenEnum || values.contains(text)
            case .integerEnum(let values):
                guard case .integer(let number) = value else { return false }
                return values.contains(number)
            case .alias(let target, _): return canApplyDefault(value, to: target, depth: depth + 1)
            default: return false
            }
        default: return false
        }
    }

    private func typeIndex(_ name: String) -> Int? {
        types.firstIndex { $0.name == name }
    }

    /// Named types declared from schemas with `x-patch: true`.
    private var patchSchemaNames: Set<String> = []

    /// Types declared while this is above zero live inside an internal schema.
    private var internalDepth = 0

    /// `x-db-table` schemas are rows with server-only columns (`hashed_password`); `x-internal`
    /// (as Redocly spells it) marks any other schema that must not be published.
    static func isInternal(_ schema: Schema) -> Bool {
        schema.extensions["x-db-table"] != nil || schema.extensions["x-internal"] == .bool(true)
    }

    /// Marks what internal schemas declared, and reports a published type or operation that
    /// uses an internal one: the published document would hold a dangling reference.
    private func checkInternalTypes(_ operations: [APIOperation]) {
        var internalNames = Set<String>()
        for index in types.indices where types[index].isInternal { internalNames.insert(types[index].name) }
        guard !internalNames.isEmpty else { return }
        func internalTarget(_ type: TypeRef) -> String? {
            switch type {
            case .named(let name): return internalNames.contains(name) ? name : nil
            case .array(let inner), .dictionary(let inner), .nullable(let inner): return internalTarget(inner)
            case .primitive, .any: return nil
            }
        }
        for type in types where !type.isInternal {
            var used: [TypeRef] = []
            switch type.kind {
            case .object(let shape):
                used = shape.properties.map(\.type) + [shape.additionalProperties].compactMap { $0 } + shape.compositions.map(\.type)
            case .union(let shape): used = shape.variants.map(\.type)
            case .alias(let target, _): used = [target]
            case .stringEnum, .integerEnum: break
            }
            if let target = used.lazy.compactMap(internalTarget).first {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "the published schema '\(type.name)' uses '\(target)', which is internal (x-db-table or x-internal) and is left out of the published document",
                        at: type.location))
            }
        }
        for operation in operations {
            var used = operation.parameters.map(\.type)
            used += operation.requestBody?.contents.map(\.type) ?? []
            for response in operation.responses { used += response.contents.map(\.type) + response.headers.map(\.type) }
            if let target = used.lazy.compactMap(internalTarget).first {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        "operation '\(operation.name)' uses '\(target)', which is internal (x-db-table or x-internal) and is left out of the published document",
                        at: operation.location))
            }
        }
    }

    private func kind(of schema: Schema, name: String) -> NamedType.Kind {
        if schema.booleanValue == false {
            warn("the schema 'false' accepts no value, but the generated types accept any value here", at: schema.location)
            return .alias(.any, Constraints())
        }
        // Named types never hold their `null`: every use site carries it (see `acceptsNull`).
        if let variant = soleVariant(schema) {
            let (type, constraints) = typeRef(variant, suggestedName: name + "Value")
            return .alias(type.nonNull, mergeSiblingConstraints(constraints, schema))
        }
        let single = schema.allOf.map(substantive)
        if schema.ref != nil || (single?.count == 1 && schema.properties.isEmpty && schema.oneOf == nil && schema.anyOf == nil) {
            let (type, constraints) = typeRef(
                schema.ref != nil ? schemaWithoutIdentity(schema) : single![0], suggestedName: name + "Value")
            return .alias(type.nonNull, schema.ref != nil ? constraints : mergeSiblingConstraints(constraints, schema))
        }
        if let (type, constraints) = scalarAllOf(schema, suggestedName: name + "Value") {
            return .alias(type.nonNull, constraints)
        }
        if let values = schema.enumValues, !values.isEmpty, schema.properties.isEmpty {
            let nonNull = values.filter { $0 != .null }
            let strings = nonNull.compactMap(\.stringValue)
            if strings.count == nonNull.count { return .stringEnum(values: uniqued(strings)) }
            let integers = nonNull.compactMap { value -> Int? in if case .integer(let number) = value { number } else { nil } }
            if integers.count == nonNull.count { return .integerEnum(values: uniqued(integers)) }
        }
        if let alternatives = schema.oneOf ?? schema.anyOf, schema.properties.isEmpty, schema.allOf == nil {
            return .union(union(schema, alternatives, name: name))
        }
        if isMultiType(schema) {
            return .union(typeUnion(schema, name: name))
        }
        let closed: Bool = if case .allowed(false)? = schema.additionalProperties { true } else { false }
        if !schema.properties.isEmpty || schema.allOf != nil || schema.oneOf != nil || schema.anyOf != nil || closed {
            return .object(object(schema, name: name))
        }
        let (type, constraints) = inlineType(schema, suggestedName: name)
        return .alias(type.nonNull, constraints)
    }

    /// `type: [string, integer, array]`: a variant per JSON type, each with the keywords that
    /// apply to it (`maxLength` to the string, `items` to the array).
    private func typeUnion(_ schema: Schema, name: String) -> UnionShape {
        var variants: [UnionShape.Variant] = []
        var taken: Set<String> = []
        let all = constraints(schema)
        // Decoding tries the variants in order, so the narrower JSON types come first.
        let order: [Schema.JSONType] = [.boolean, .integer, .number, .string, .array, .object]
        for jsonType in order where schema.nonNullTypes.contains(jsonType) {
            let type: TypeRef
            var own = Constraints()
            switch jsonType {
            case .boolean: type = .primitive(.boolean)
            case .integer:
                type = .primitive(schema.format == "int32" ? .int32 : schema.format == "int64" ? .int64 : .integer)
                own.minimum = all.minimum
                own.maximum = all.maximum
                own.exclusiveMinimum = all.exclusiveMinimum
                own.exclusiveMaximum = all.exclusiveMaximum
                own.multipleOf = all.multipleOf
            case .number:
                type = .primitive(schema.format == "float" ? .float : .double)
                own.minimum = all.minimum
                own.maximum = all.maximum
                own.exclusiveMinimum = all.exclusiveMinimum
                own.exclusiveMaximum = all.exclusiveMaximum
                own.multipleOf = all.multipleOf
            case .string:
                type = .primitive(stringPrimitive(schema.format))
                own.minLength = all.minLength
                own.maxLength = all.maxLength
                own.pattern = all.pattern
                own.format = all.format
            case .array:
                var arrayRules = Constraints()
                arrayRules.minItems = all.minItems
                arrayRules.maxItems = all.maxItems
                arrayRules.uniqueItems = all.uniqueItems
                (type, own) = arrayType(schema, arrayRules, suggestedName: name)
            case .object:
                if schema.properties.isEmpty {
                    type = dictionaryType(schema, suggestedName: name)
                } else {
                    let objectName = claimTypeName(name + "Object")
                    let index = appendHoisted(
                        objectName, placeholder: .object(ObjectShape()), at: schema.location,
                        pointer: pointers.pointer(for: schema).map { $0 + "/type/object" })
                    types[index].kind = .object(object(schema, name: objectName))
                    type = .named(objectName)
                }
            case .null: continue
            }
            variants.append(
                .init(name: Naming.unique(caseName(for: type), in: &taken), type: type, discriminatorValues: [], constraints: own))
        }
        return UnionShape(variants: variants, discriminator: nil, isAnyOf: false)
    }

    /// A view of a `$ref` schema for alias declarations, so the lookup by identity does not
    /// find the alias itself.
    private func schemaWithoutIdentity(_ schema: Schema) -> Schema {
        guard let ref = schema.ref, let target = references.schemas[ref.key] else { return schema }
        return target
    }

    private func uniqued<T: Hashable>(_ values: [T]) -> [T] {
        // Most enums are short: looking back beats hashing every value into a set.
        if values.count <= 16 {
            var result: [T] = []
            result.reserveCapacity(values.count)
            for value in values where !result.contains(value) { result.append(value) }
            return result
        }
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }

    private func union(_ schema: Schema, _ alternatives: [Schema], name: String) -> UnionShape {
        var taken: Set<String> = []
        var variants: [UnionShape.Variant] = []
        let discriminator = schema.discriminator.flatMap { $0.propertyName.isEmpty ? nil : $0 }
        // A `false` alternative matches nothing: it is no variant.
        for (offset, alternative) in alternatives.enumerated()
        where !isNullSchema(alternative) && references.resolve(alternative).booleanValue != false {
            let (type, constraints) = typeRef(alternative, suggestedName: name + "Case\(offset + 1)")
            let baseName: String
            if purpose == .comparison {
                baseName = "v\(offset)"
            } else if let named = type.namedType {
                baseName = Naming.memberName(named)
            } else {
                baseName = caseName(for: type)
            }
            var values: [String] = []
            if let discriminator {
                values = DiscriminatorValues.values(for: alternative, discriminator: discriminator, references: references)
                if values.isEmpty {
                    warn(
                        "variant \(offset + 1) of '\(name)' gives no value for the discriminator '\(discriminator.propertyName)' (no mapping, no single 'const' or 'enum', no schema name); generated decoders never select it",
                        at: alternative.location)
                }
            }
            variants.append(
                .init(name: Naming.unique(baseName, in: &taken), type: type.nonNull, discriminatorValues: values, constraints: constraints))
        }
        if let discriminator {
            var owners: [String: Int] = [:]
            for (index, variant) in variants.enumerated() {
                for value in variant.discriminatorValues {
                    if let first = owners[value], first != index {
                        warn(
                            "the discriminator value '\(value)' of '\(name)' selects two variants; decoders use the first",
                            at: discriminator.location)
                    } else {
                        owners[value] = index
                    }
                }
            }
        }
        return UnionShape(variants: variants, discriminator: discriminator?.propertyName, isAnyOf: schema.oneOf == nil)
    }

    private func warn(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    private func caseName(for type: TypeRef) -> String {
        switch type.nonNull {
        case .primitive(let primitive): return primitive.rawValue
        case .array: return "array"
        case .dictionary: return "object"
        case .any: return "value"
        case .named(let name): return Naming.memberName(name)
        case .nullable: return "value"
        }
    }

    private func object(_ schema: Schema, name: String) -> ObjectShape {
        var shape = ObjectShape()
        var taken: Set<String> = []
        // allOf parts first, then the schema's own properties, later ones overriding.
        // `oneOf`/`anyOf` of allOf members, then the schema's own: the object is also one of each.
        let parts = ObjectParts(schema, references: references)
        let required = parts.required
        let ordered = parts.properties
        let seen = parts.declaredNames
        let closed = parts.closed
        let declaresOpen = parts.declaresOpen
        var compositionSources = parts.compositionSources
        var additional: TypeRef?
        for values in parts.additionalSchemas { additional = typeRef(values, suggestedName: name + "Value").0 }
        // A required name no part declares (`required: [grant_type]` beside other properties) must
        // still be present: a property of any type. Not beside a `oneOf`/`anyOf`, whose variants
        // may declare it.
        let undeclared =
            compositionSources.isEmpty && schema.oneOf == nil && schema.anyOf == nil
            ? required.subtracting(seen).sorted() : []
        for (key, property) in ordered {
            // `false`: the key can never be present.
            if references.resolve(property).booleanValue == false {
                shape.forbiddenProperties.append(key)
                if required.contains(key) {
                    warn(
                        "'\(key)' is required but its schema is false, so no object is valid; the generated types still accept objects without it",
                        at: property.location)
                }
                continue
            }
            let propertyName = purpose == .comparison ? key : Naming.unique(swiftSafeMember(key), in: &taken)
            let (type, constraints) = typeRef(property, suggestedName: name + Naming.typeName(key))
            let resolved = references.resolve(property)
            shape.properties.append(
                Property(
                    jsonName: key, name: propertyName, type: type, required: required.contains(key),
                    constraints: constraints, description: property.description ?? resolved.description,
                    title: property.title,
                    defaultValue: property.defaultValue, example: property.examples.first ?? resolved.examples.first,
                    readOnly: property.readOnly, writeOnly: property.writeOnly, deprecated: property.deprecated))
            shape.properties[shape.properties.count - 1].location = property.location
            shape.properties[shape.properties.count - 1].sunset =
                Sunset.date(in: property.extensions) ?? Sunset.date(in: resolved.extensions)
        }
        for key in undeclared {
            shape.properties.append(
                Property(
                    jsonName: key, name: Naming.unique(swiftSafeMember(key), in: &taken), type: .any, required: true,
                    constraints: Constraints()))
        }
        if schema.oneOf != nil || schema.anyOf != nil { compositionSources.append((nil, schema)) }
        for source in compositionSources {
            let keyword = source.part.oneOf != nil ? "OneOf" : "AnyOf"
            let type: TypeRef
            if let member = source.member, member.ref != nil, source.part.properties.isEmpty, source.part.allOf == nil {
                // A referenced union: the component's own type.
                type = typeRef(member, suggestedName: name + keyword).0.nonNull
            } else {
                let unionName = claimTypeName(name + keyword)
                let placeholder = NamedType.Kind.union(UnionShape(variants: [], discriminator: nil, isAnyOf: false))
                let keywordPointer = pointers.pointer(for: source.part).map { $0 + (source.part.oneOf != nil ? "/oneOf" : "/anyOf") }
                let index = appendHoisted(unionName, placeholder: placeholder, at: source.part.location, pointer: keywordPointer)
                types[index].kind = .union(union(source.part, source.part.oneOf ?? source.part.anyOf ?? [], name: unionName))
                type = .named(unionName)
            }
            shape.compositions.append(.init(name: Naming.unique(Naming.memberName(keyword), in: &taken), type: type))
        }
        shape.additionalProperties = additional
        shape.closed = closed
        shape.declaresOpen = declaresOpen
        shape.minProperties = schema.minProperties
        shape.maxProperties = schema.maxProperties
        return shape
    }

    /// Member names that would clash with what every generated type declares or inherits.
    static let reservedMemberNames: Set<String> = [
        "self", "init", "deinit", "subscript", "super", "hashValue", "additionalProperties", "codingKeys",
    ]

    private func swiftSafeMember(_ key: String) -> String {
        let name = Naming.memberName(key)
        return Self.reservedMemberNames.contains(name) ? name + "Value" : name
    }

    // MARK: Operations

    private func buildOperations(_ document: OpenAPIDocument) -> [APIOperation] {
        var operations: [APIOperation] = []
        var takenNames: Set<String> = []
        for (path, item) in spec.pathItems {
            if purpose == .generation {
                for (method, operation) in item.additionalOperations {
                    warn(
                        "the \(method.uppercased()) operation of '\(path)' (additionalOperations) is not generated: routes and clients are generated for GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE and QUERY (specgen diff still compares it)",
                        at: operation.location)
                }
            }
            for (method, operation) in item.operations {
                let baseName =
                    operation.operationId.map(Naming.memberName)
                    ?? Naming.memberName(method.rawValue + " " + path.replacingOccurrences(of: "{", with: "by "))
                let name = Naming.unique(baseName, in: &takenNames)
                // Inside the `Operations` namespace: no schema can take or change this name.
                let typeName = Naming.typeName(name)
                let group = operation.tags.first.map(Naming.typeName) ?? "Default"
                operations.append(
                    apiOperation(
                        operation, method: method, in: item, path: path, name: name, typeName: typeName,
                        typesPrefix: typeName, group: group, document: document))
            }
        }
        return operations
    }

    /// One operation of `item`, its inline types hoisted under `typesPrefix`.
    private func apiOperation(
        _ operation: OpenAPI.Operation, method: HTTPMethod, in item: PathItem, path: String, name: String, typeName: String,
        typesPrefix: String, group: String, document: OpenAPIDocument, depth: Int = 0
    ) -> APIOperation {
        var built = APIOperation(
            name: name, typeName: typeName, operationId: operation.operationId, method: method, path: path,
            group: group, tags: operation.tags, summary: operation.summary,
            description: operation.description, deprecated: operation.deprecated,
            sunset: Sunset.date(in: operation.extensions),
            parameters: parameters(item, operation, typeName: typesPrefix),
            requestBody: requestBody(operation, typeName: typesPrefix),
            responses: responses(operation, typeName: typesPrefix),
            security: security(APIOperation.securityRequirements(of: operation, in: document)),
            location: operation.location)
        built.callbacks = callbacks(of: operation, typeName: typeName, document: document, depth: depth)
        return built
    }

    /// 3.2's `additionalOperations`: methods outside `HTTPMethod`, by their wire name.
    private func buildAdditionalOperations(_ document: OpenAPIDocument) -> [APIOperation] {
        var result: [APIOperation] = []
        var takenNames: Set<String> = []
        for (path, item) in spec.pathItems {
            for (methodName, operation) in item.additionalOperations {
                let name = Naming.unique(
                    operation.operationId.map(Naming.memberName) ?? Naming.memberName(methodName + " " + path), in: &takenNames)
                let typeName = Naming.typeName(name)
                var built = apiOperation(
                    operation, method: .get, in: item, path: path, name: name, typeName: typeName,
                    typesPrefix: "Additional" + typeName, group: "Default", document: document)
                built.customMethod = methodName.uppercased()
                result.append(built)
            }
        }
        return result
    }

    /// The callbacks of `operation`, for `specgen diff`, and theirs a few levels down (a
    /// reference loop through callbacks must end).
    private func callbacks(
        of operation: OpenAPI.Operation, typeName: String, document: OpenAPIDocument, depth: Int
    ) -> [APICallback] {
        if purpose == .generation, !operation.callbacks.isEmpty {
            let names = operation.callbacks.keys.map { "'\($0)'" }.joined(separator: ", ")
            warn(
                "callback \(names) is not generated: no generated server or client code sends or receives it (specgen diff still compares it)",
                at: operation.location)
        }
        guard purpose == .comparison, depth < 4 else { return [] }
        var result: [APICallback] = []
        for (callbackName, reference) in operation.callbacks {
            guard let callback = references.resolve(reference) else { continue }
            for (expression, itemReference) in callback.expressions {
                guard let item = references.resolve(itemReference) else { continue }
                let operations = item.operations.map { method, raw in
                    let name = typeName + "Callback" + Naming.typeName(callbackName) + Naming.typeName(method.rawValue)
                    return apiOperation(
                        raw, method: method, in: item, path: expression, name: Naming.memberName(name), typeName: name,
                        typesPrefix: name, group: "Callbacks", document: document, depth: depth + 1)
                }
                result.append(APICallback(name: callbackName, expression: expression, operations: operations))
            }
        }
        return result
    }

    /// Webhooks (3.1): the requests this API sends. Each is an operation in the `Webhooks`
    /// namespace, whose type names cannot collide with schemas or paths' operations; building
    /// them hoists their inline schemas, so Swift gets the same types TypeScript does.
    private func buildWebhooks(_ document: OpenAPIDocument) -> [APIOperation] {
        var webhooks: [APIOperation] = []
        var takenNames: Set<String> = []
        for (key, reference) in document.webhooks {
            guard let item = references.resolve(reference) else { continue }
            let operations = item.operations
            for (method, operation) in operations {
                let base = operations.count == 1 ? key : key + " " + method.rawValue
                let name = Naming.unique(Naming.memberName(base), in: &takenNames)
                let typeName = Naming.typeName(name)
                let prefix = typeName + "Webhook"
                webhooks.append(
                    apiOperation(
                        operation, method: method, in: item, path: key, name: name, typeName: typeName, typesPrefix: prefix,
                        group: "Webhooks", document: document))
            }
        }
        return webhooks
    }

    private func parameters(_ item: PathItem, _ operation: OpenAPI.Operation, typeName: String) -> [APIParameter] {
        var taken: Set<String> = ["body"]
        return OperationParameters.merged(item, operation, references: references).map { entry in
            let (parameter, componentKey) = (entry.parameter, entry.componentKey)
            let schema = parameter.schema ?? parameter.content.values.first?.schema
            let (type, constraints) =
                schema.map { typeRef($0, suggestedName: typeName + Naming.typeName(parameter.name)) } ?? (
                    .primitive(.string), Constraints()
                )
            return APIParameter(
                name: parameter.name,
                propertyName: purpose == .comparison ? parameter.name : Naming.unique(Naming.memberName(parameter.name), in: &taken),
                location: parameter.location, style: parameter.effectiveStyle, explode: parameter.effectiveExplode,
                required: OperationParameters.isRequired(parameter), type: type, constraints: constraints,
                defaultValue: schema?.defaultValue, description: parameter.description, deprecated: parameter.deprecated,
                sunset: Sunset.date(in: parameter.extensions), sourceLocation: parameter.sourceLocation,
                componentKey: componentKey)
        }
    }

    /// The key of a `$ref` straight to a component of `section` (`#/components/responses/X`).
    private static func componentKey<T>(_ reference: Referenceable<T>, section: String) -> String? {
        guard case .reference(let ref) = reference, ref.key.contains("#/components/\(section)/") else { return nil }
        return ref.key
    }

    private func requestBody(_ operation: OpenAPI.Operation, typeName: String) -> APIRequestBody? {
        guard let body = operation.requestBody.flatMap({ references.resolve($0) }) else { return nil }
        let contents = self.contents(body.content, suggestedName: typeName + "Request")
        guard !contents.isEmpty else { return nil }
        return APIRequestBody(
            required: body.required, description: body.description, contents: contents,
            componentKey: operation.requestBody.flatMap { Self.componentKey($0, section: "requestBodies") },
            location: body.location)
    }

    private func responses(_ operation: OpenAPI.Operation, typeName: String) -> [APIResponse] {
        var result: [APIResponse] = []
        var taken: Set<String> = []
        let sorted = operation.responses.compactMap { key, value in ResponseKey(key).map { ($0, key, value) } }
            .sorted { $0.0 < $1.0 }
        for (key, rawKey, value) in sorted {
            guard let response = references.resolve(value) else { continue }
            let caseName = Naming.unique(Naming.responseCaseName(key), in: &taken)
            let suffix = rawKey == "default" ? "Default" : rawKey.uppercased()
            var headerNames: Set<String> = ["other", "fields"]
            let headers: [APIHeader] = response.headers.compactMap { name, header in
                guard let header = references.resolve(header), name.lowercased() != "content-type" else { return nil }
                guard Self.isHeaderName(name) else {
                    warn(
                        "response header '\(name)' is not a valid HTTP field name; it is left out of the generated code",
                        at: operation.location)
                    return nil
                }
                let schema = header.schema ?? header.content.values.first?.schema
                var (type, constraints) =
                    schema.map { typeRef($0, suggestedName: typeName + "Response\(suffix)" + Naming.typeName(name)) }
                    ?? (.primitive(.string), Constraints())
                if !isHeaderType(type) {
                    warn(
                        "response header '\(name)' has a schema that is not a scalar, an array of scalars or an enum; it is typed as a string",
                        at: schema?.location ?? operation.location)
                    type = .primitive(.string)
                    constraints = Constraints()
                }
                return APIHeader(
                    name: name, propertyName: Naming.unique(Naming.memberName(name), in: &headerNames),
                    required: header.required, type: type.nonNull, description: header.description,
                    constraints: constraints, location: header.location)
            }
            var shared: String?
            if !headers.isEmpty, case .reference(let ref) = value, ref.key.contains("#/components/responses/") {
                if let name = sharedHeadersByKey[ref.key] {
                    shared = name
                } else {
                    let name = Naming.unique(Naming.typeName(ref.name), in: &takenSharedHeaderNames)
                    sharedHeadersByKey[ref.key] = name
                    sharedHeaders.append(SharedResponseHeaders(name: name, headers: headers))
                    shared = name
                }
            }
            result.append(
                APIResponse(
                    key: key, caseName: caseName, description: response.description, headers: headers,
                    contents: contents(response.content, suggestedName: typeName + "Response\(suffix)"),
                    sharedHeaders: shared, componentKey: Self.componentKey(value, section: "responses"),
                    location: response.location))
        }
        return result
    }

    /// An RFC 9110 token: what `HTTPField.Name` accepts.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
    }

    /// What a header value can be written from: a scalar, a list of scalars, or an enum.
    private func isHeaderType(_ type: TypeRef) -> Bool {
        switch type.nonNull {
        case .primitive(let primitive): return primitive != .binary && primitive != .byte
        case .array(let element):
            if case .primitive = element.nonNull { return true }
            return false
        case .named(let name):
            switch self.types.first(where: { $0.name == name })?.kind {
            case .stringEnum?, .integerEnum?: return true
            default: return false
            }
        default: return false
        }
    }

    private func contents(_ content: OrderedMap<MediaType>, suggestedName: String) -> [APIContent] {
        var result: [APIContent] = []
        for (contentType, media) in content {
            let kind = contentKind(contentType)
            let (type, constraints): (TypeRef, Constraints)
            if let schema = media.schema {
                (type, constraints) = typeRef(schema, suggestedName: suggestedName)
            } else {
                (type, constraints) = (kind == .text ? .primitive(.string) : kind == .binary ? .primitive(.binary) : .any, Constraints())
            }
            let effective: TypeRef = kind == .binary ? .primitive(.binary) : type
            result.append(
                APIContent(
                    contentType: contentType, kind: kind, type: effective, constraints: constraints, encoding: media.encoding,
                    location: media.location))
        }
        return result
    }

    private func contentKind(_ contentType: String) -> APIContent.Kind {
        // `application/json; charset=utf-8` is JSON: the parameters say nothing of the kind. Cut
        // and trimmed as bytes: splitting by characters cost 9,000 instructions a media type.
        let bytes = contentType.utf8
        let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        var lowered = contentType[..<end].lowercased()
        while lowered.utf8.last == UInt8(ascii: " ") || lowered.utf8.last == UInt8(ascii: "\t") { lowered.removeLast() }
        while lowered.utf8.first == UInt8(ascii: " ") || lowered.utf8.first == UInt8(ascii: "\t") { lowered.removeFirst() }
        if lowered.hasSuffix("json") || lowered.contains("+json") { return .json }
        if lowered.hasPrefix("application/x-www-form-urlencoded") { return .form }
        if lowered.hasPrefix("multipart/") { return .multipart }
        if lowered.hasPrefix("text/") { return .text }
        return .binary
    }

    private func security(_ requirements: [SecurityRequirement]) -> [[SecurityRequirementEntry]] {
        requirements.map { requirement in
            requirement.map { scheme, scopes in SecurityRequirementEntry(scheme: scheme, scopes: scopes) }
        }
    }
}
