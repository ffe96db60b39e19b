/// Where a node stands in an OpenAPI document, as far as the bundler needs to know: it decides
/// what a `$ref` found there points at (and so which `components` section its target goes to),
/// and which nodes are plain data whose `$ref` keys are no references at all.
///
/// The cases carry flat payloads, not nested positions, so moving to a child never allocates:
/// the bundler asks for a child position once per mapping entry of the whole document.
enum BundlePosition: Equatable {
    /// An object of a kind OpenAPI defines.
    case object(Object)
    /// A mapping from names to objects of one kind (`properties`, `responses`, `components.schemas`).
    case map(Object)
    /// A list of objects of one kind (`parameters`, `allOf`).
    case list(Object)
    /// Structure the bundler has no model of (`info`, `servers`, extensions): a `$ref` here
    /// is followed and its target written in place, since no section fits it.
    case other
    /// Data (`example`, `default`, `enum`, link parameters): nothing in it is a reference.
    case literal
    /// `discriminator.mapping`: its values name schemas.
    case discriminatorMapping
    /// A value of `discriminator.mapping`: a schema's component name or a reference to it.
    case schemaName

    enum Object: Equatable {
        case document, paths, pathItem, operation, parameter, header, requestBody, mediaType, encoding
        case response, link, callback, example, securityScheme, components, schema, discriminator
    }

    /// A `$ref` is only a reference where the document is structure, not data.
    var followsReferences: Bool {
        switch self {
        case .literal, .discriminatorMapping, .schemaName: false
        default: true
        }
    }

    /// The section a `$ref` standing here names, or nil when its target is written in place.
    /// OpenAPI 3.0 has no `components.pathItems`, so path items are inlined there.
    func componentSection(pathItemsAllowed: Bool) -> ComponentSection? {
        guard case .object(let object) = self else { return nil }
        switch object {
        case .schema: return .schemas
        case .parameter: return .parameters
        case .header: return .headers
        case .requestBody: return .requestBodies
        case .response: return .responses
        case .link: return .links
        case .callback: return .callbacks
        case .example: return .examples
        case .securityScheme: return .securitySchemes
        case .pathItem: return pathItemsAllowed ? .pathItems : nil
        default: return nil
        }
    }

    /// The position of an item of a sequence standing here.
    var item: BundlePosition {
        switch self {
        case .list(let object): .object(object)
        case .literal, .discriminatorMapping, .schemaName: .literal
        default: .other
        }
    }

    /// The position of the value stored under `key` in a mapping standing here.
    func child(_ key: String, valueIsSequence: Bool) -> BundlePosition {
        switch self {
        case .other: return .other
        case .literal, .schemaName: return .literal
        case .discriminatorMapping: return .schemaName
        case .list: return .other
        case .map(let object):
            // Property names are free, so `x-` names a schema there; elsewhere it is an extension.
            if object != .schema && key.hasPrefix("x-") { return .other }
            return .object(object)
        case .object(let object):
            if key.hasPrefix("x-") { return .other }
            return Self.child(of: object, key, valueIsSequence: valueIsSequence)
        }
    }

    private static func child(of object: Object, _ key: String, valueIsSequence: Bool) -> BundlePosition {
        switch object {
        case .document:
            switch key {
            case "paths": return .object(.paths)
            case "webhooks": return .map(.pathItem)
            case "components": return .object(.components)
            default: return .other
            }
        case .paths:
            return key.hasPrefix("/") ? .object(.pathItem) : .other
        case .pathItem:
            switch key {
            case "get", "put", "post", "delete", "options", "head", "patch", "trace", "query":
                return .object(.operation)
            case "parameters": return .list(.parameter)
            case "additionalOperations": return .map(.operation)
            default: return .other
            }
        case .operation:
            switch key {
            case "parameters": return .list(.parameter)
            case "requestBody": return .object(.requestBody)
            case "responses": return .map(.response)
            case "callbacks": return .map(.callback)
            default: return .other
            }
        case .parameter, .header:
            switch key {
            case "schema": return .object(.schema)
            case "content": return .map(.mediaType)
            case "examples": return .map(.example)
            case "example": return .literal
            default: return .other
            }
        case .requestBody:
            return key == "content" ? .map(.mediaType) : .other
        case .mediaType:
            switch key {
            case "schema", "itemSchema": return .object(.schema)
            case "examples": return .map(.example)
            case "example": return .literal
            case "encoding": return .map(.encoding)
            default: return .other
            }
        case .encoding:
            return key == "headers" ? .map(.header) : .other
        case .response:
            switch key {
            case "headers": return .map(.header)
            case "content": return .map(.mediaType)
            case "links": return .map(.link)
            default: return .other
            }
        case .link:
            return key == "parameters" || key == "requestBody" ? .literal : .other
        case .callback:
            // Every entry of a callback is an expression naming a path item.
            return .object(.pathItem)
        case .example:
            return key == "value" || key == "dataValue" || key == "serializedValue" ? .literal : .other
        case .securityScheme:
            return .other
        case .components:
            if let section = ComponentSection(rawValue: key) { return .map(section.object) }
            return key == "mediaTypes" ? .map(.mediaType) : .other
        case .schema:
            switch key {
            case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies":
                return .map(.schema)
            case "items": return valueIsSequence ? .list(.schema) : .object(.schema)
            case "prefixItems", "allOf", "anyOf", "oneOf": return .list(.schema)
            case "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
                "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema":
                return .object(.schema)
            case "default", "example", "examples", "enum", "const": return .literal
            case "discriminator": return .object(.discriminator)
            default: return .other
            }
        case .discriminator:
            return key == "mapping" ? .discriminatorMapping : .other
        }
    }
}
