extension DocumentDecoder {
    func document(_ root: NodeID) -> OpenAPIDocument? {
        guard expect(.mapping, root, "an OpenAPI document") else { return nil }
        let tree = tree(root)
        guard let versionNode = tree.value(root.node, forKey: "openapi").map({ NodeID(file: root.file, node: $0) })
        else {
            if tree.value(root.node, forKey: "swagger") != nil {
                error("this is a Swagger 2.0 document; convert it to OpenAPI 3 (for example with swagger2openapi)", at: root)
            } else {
                error("missing 'openapi' field: is this an OpenAPI 3 document?", at: root)
            }
            return nil
        }
        guard let openapi = string(versionNode, "'openapi'") else { return nil }
        let parts = openapi.split(separator: ".")
        switch (parts.first, parts.dropFirst().first) {
        case ("3", "0"): version = .v3_0
        case ("3", "1"): version = .v3_1
        case ("3", "2"): version = .v3_2
        default:
            error("unsupported OpenAPI version '\(openapi)'; expected 3.0.x, 3.1.x or 3.2.x", at: versionNode)
            return nil
        }
        var document = OpenAPIDocument(
            openapi: openapi, version: version, info: Info(title: "", version: ""), location: location(root))
        var sawInfo = false
        var sawPaths = false
        // Components first, so schemas referenced from paths are decoded in document order.
        if let node = tree.value(root.node, forKey: "components") {
            document.components = components(NodeID(file: root.file, node: node))
        }
        document.extensions = fields(of: root, in: "the document") { key, value in
            switch key {
            case "openapi": break
            case "info":
                sawInfo = true
                if let info = info(value) { document.info = info }
            case "jsonSchemaDialect": document.jsonSchemaDialect = string(value, "'jsonSchemaDialect'")
            case "servers": document.servers = servers(value)
            case "paths":
                sawPaths = true
                document.paths = paths(value)
            case "webhooks":
                guard version >= .v3_1 else { return false }
                document.webhooks = pathItemMap(value, "'webhooks'")
            case "components": break
            case "security": document.security = securityRequirements(value)
            case "tags": document.tags = items(of: value, in: "'tags'").compactMap(tag)
            case "externalDocs": document.externalDocs = externalDocs(value)
            case "$self": break
            default: return false
            }
            return true
        }
        if !sawInfo { error("missing 'info' field", at: root) }
        if !sawPaths && version == .v3_0 { error("missing 'paths' field (required in OpenAPI 3.0)", at: root) }
        applyDefaultResponses(to: &document, root: root)
        return document
    }

    func info(_ id: NodeID) -> Info? {
        var info = Info(title: "", version: "")
        var sawTitle = false
        var sawVersion = false
        info.extensions = fields(of: id, in: "'info'") { key, value in
            switch key {
            case "title":
                sawTitle = true
                info.title = string(value, "'info.title'") ?? ""
            case "version":
                sawVersion = true
                info.version = string(value, "'info.version'") ?? ""
            case "summary": info.summary = string(value, "'info.summary'")
            case "description": info.description = string(value, "'info.description'")
            case "termsOfService": info.termsOfService = string(value, "'termsOfService'")
            case "contact":
                var contact = Info.Contact()
                _ = fields(of: value, in: "'contact'") { key, value in
                    switch key {
                    case "name": contact.name = string(value, "'contact.name'")
                    case "url": contact.url = string(value, "'contact.url'")
                    case "email": contact.email = string(value, "'contact.email'")
                    default: return false
                    }
                    return true
                }
                info.contact = contact
            case "license":
                var license = Info.License(name: "")
                _ = fields(of: value, in: "'license'") { key, value in
                    switch key {
                    case "name": license.name = string(value, "'license.name'") ?? ""
                    case "identifier": license.identifier = string(value, "'license.identifier'")
                    case "url": license.url = string(value, "'license.url'")
                    default: return false
                    }
                    return true
                }
                info.license = license
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawTitle { error("'info' is missing 'title'", at: id) }
        if !sawVersion { error("'info' is missing 'version'", at: id) }
        return info
    }

    func servers(_ id: NodeID) -> [Server] {
        items(of: id, in: "'servers'").compactMap { node in
            var server = Server(url: "")
            var sawURL = false
            server.extensions = fields(of: node, in: "a server") { key, value in
                switch key {
                case "url":
                    sawURL = true
                    server.url = string(value, "'url'") ?? ""
                case "description": server.description = string(value, "'description'")
                case "name": break
                case "variables":
                    for entry in entries(of: value, in: "'variables'") {
                        var variable = Server.Variable(defaultValue: "")
                        _ = fields(of: entry.value, in: "a server variable") { key, value in
                            switch key {
                            case "default": variable.defaultValue = string(value, "'default'") ?? ""
                            case "enum": variable.enumValues = strings(value, "'enum'")
                            case "description": variable.description = string(value, "'description'")
                            default: return false
                            }
                            return true
                        }
                        server.variables[entry.key] = variable
                    }
                default: return false
                }
                return true
            }
            guard kind(node) == .mapping else { return nil }
            if !sawURL { error("a server needs a 'url'", at: node) }
            return server
        }
    }

    func tag(_ id: NodeID) -> Tag? {
        var tag = Tag(name: "")
        tag.extensions = fields(of: id, in: "a tag") { key, value in
            switch key {
            case "name": tag.name = string(value, "'name'") ?? ""
            case "summary": tag.summary = string(value, "'summary'")
            case "description": tag.description = string(value, "'description'")
            case "parent": tag.parent = string(value, "'parent'")
            case "kind": tag.kind = string(value, "'kind'")
            case "externalDocs": tag.externalDocs = externalDocs(value)
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if tag.name.isEmpty { error("a tag needs a 'name'", at: id) }
        return tag
    }

    func externalDocs(_ id: NodeID) -> ExternalDocumentation? {
        var docs = ExternalDocumentation(url: "")
        _ = fields(of: id, in: "'externalDocs'") { key, value in
            switch key {
            case "url": docs.url = string(value, "'url'") ?? ""
            case "description": docs.description = string(value, "'description'")
            default: return false
            }
            return true
        }
        return kind(id) == .mapping ? docs : nil
    }

    func securityRequirements(_ id: NodeID) -> [SecurityRequirement] {
        items(of: id, in: "'security'").map { node in
            var requirement = SecurityRequirement()
            for entry in entries(of: node, in: "a security requirement") {
                requirement[entry.key] = strings(entry.value, "the scopes of '\(entry.key)'")
            }
            return requirement
        }
    }

    func components(_ id: NodeID) -> Components {
        var components = Components()
        components.extensions = fields(of: id, in: "'components'") { key, value in
            switch key {
            case "schemas":
                for entry in entries(of: value, in: "'components.schemas'") {
                    components.schemas[entry.key] = schema(entry.value)
                }
            case "responses": components.responses = map(value, key, .response, response)
            case "parameters": components.parameters = map(value, key, .parameter, parameter)
            case "examples": components.examples = map(value, key, .example, example)
            case "requestBodies": components.requestBodies = map(value, key, .requestBody, requestBody)
            case "headers": components.headers = map(value, key, .header, header)
            case "securitySchemes": components.securitySchemes = map(value, key, .securityScheme, securityScheme)
            case "links": components.links = map(value, key, .link, link)
            case "callbacks": components.callbacks = map(value, key, .callback, callback)
            case "pathItems": components.pathItems = pathItemMap(value, "'components.pathItems'")
            case "mediaTypes": break
            default: return false
            }
            return true
        }
        for (name, _) in components.schemas where !isComponentName(name) {
            warning("component name '\(name)' has characters outside [A-Za-z0-9._-]", at: id)
        }
        return components
    }

    private func isComponentName(_ name: String) -> Bool {
        name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    func map<T>(
        _ id: NodeID, _ what: String, _ kind: ReferenceKind, _ decode: (NodeID) -> T?
    ) -> OrderedMap<Referenceable<T>> {
        var result = OrderedMap<Referenceable<T>>()
        for entry in entries(of: id, in: "'\(what)'") {
            if let item = referenceable(entry.value, as: kind, decode) { result[entry.key] = item }
        }
        return result
    }

    func pathItemMap(_ id: NodeID, _ what: String) -> OrderedMap<Referenceable<PathItem>> {
        var result = OrderedMap<Referenceable<PathItem>>()
        for entry in entries(of: id, in: what) {
            if let item = referenceable(entry.value, as: .pathItem, pathItem) { result[entry.key] = item }
        }
        return result
    }
}
