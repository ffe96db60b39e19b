extension DocumentDecoder {
    func paths(_ id: NodeID) -> OrderedMap<Referenceable<PathItem>> {
        var result = OrderedMap<Referenceable<PathItem>>()
        for entry in entries(of: id, in: "'paths'") {
            if entry.key.hasPrefix("x-") { continue }
            guard entry.key.hasPrefix("/") else {
                diagnostics.error("path '\(entry.key)' must start with '/'", at: entry.keyLocation)
                continue
            }
            if let item = referenceable(entry.value, as: .pathItem, pathItem) { result[entry.key] = item }
        }
        return result
    }

    func pathItem(_ id: NodeID) -> PathItem? {
        var item = PathItem(location: location(id))
        item.extensions = fields(of: id, in: "a path item") { key, value in
            if let method = HTTPMethod(rawValue: key), method != .query || version >= .v3_2 {
                if let operation = operation(value) { item.operations.append((method, operation)) }
                return true
            }
            switch key {
            case "summary": item.summary = string(value, "'summary'")
            case "description": item.description = string(value, "'description'")
            case "servers": item.servers = servers(value)
            case "parameters": item.parameters = parameterList(value)
            case "additionalOperations":
                guard version >= .v3_2 else { return false }
                for entry in entries(of: value, in: "'additionalOperations'") {
                    if let operation = operation(entry.value) { item.additionalOperations[entry.key] = operation }
                }
            default: return false
            }
            return true
        }
        return kind(id) == .mapping ? item : nil
    }

    func operation(_ id: NodeID) -> Operation? {
        // Not in the specification, but common in descriptions split over many files
        // (DigitalOcean's among them) and accepted by the bundlers that write them.
        var id = id
        var chain: [Reference] = []
        while let refNode = referenceNode(id) {
            guard let raw = string(refNode, "$ref"), let reference = makeReference(raw, at: refNode),
                let target = target(of: reference)
            else { return nil }
            if chain.contains(reference) || chain.count >= ReferenceTable.maxChain {
                let names = (chain + [reference]).map(\.raw).joined(separator: " -> ")
                error("reference loop: \(names)", at: refNode)
                return nil
            }
            chain.append(reference)
            id = target
        }
        var operation = Operation(location: location(id))
        var sawResponses = false
        operation.extensions = fields(of: id, in: "an operation") { key, value in
            switch key {
            case "tags": operation.tags = strings(value, "'tags'")
            case "summary": operation.summary = string(value, "'summary'")
            case "description": operation.description = string(value, "'description'")
            case "externalDocs": operation.externalDocs = externalDocs(value)
            case "operationId": operation.operationId = string(value, "'operationId'")
            case "parameters": operation.parameters = parameterList(value)
            case "requestBody": operation.requestBody = referenceable(value, as: .requestBody, requestBody)
            case "responses":
                sawResponses = true
                operation.responses = responses(value)
            case "callbacks": operation.callbacks = map(value, "callbacks", .callback, callback)
            case "deprecated": operation.deprecated = bool(value, "'deprecated'") ?? false
            case "security": operation.security = securityRequirements(value)
            case "servers": operation.servers = servers(value)
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawResponses && version == .v3_0 { error("an operation needs 'responses' in OpenAPI 3.0", at: id) }
        return operation
    }

    func parameterList(_ id: NodeID) -> [Referenceable<Parameter>] {
        items(of: id, in: "'parameters'").compactMap { referenceable($0, as: .parameter, parameter) }
    }

    func responses(_ id: NodeID) -> OrderedMap<Referenceable<Response>> {
        var result = OrderedMap<Referenceable<Response>>()
        for entry in entries(of: id, in: "'responses'") {
            if entry.key.hasPrefix("x-") { continue }
            guard ResponseKey(entry.key) != nil else {
                diagnostics.error(
                    "'\(entry.key)' is not a response code: use a status such as 200, a range such as 2XX, or 'default'",
                    at: entry.keyLocation)
                continue
            }
            if let response = referenceable(entry.value, as: .response, response) { result[entry.key] = response }
        }
        return result
    }

    func parameter(_ id: NodeID) -> Parameter? {
        var parameter = Parameter(name: "", location: .query, sourceLocation: location(id))
        var sawName = false
        var sawLocation = false
        parameter.extensions = fields(of: id, in: "a parameter") { key, value in
            switch key {
            case "name":
                sawName = true
                parameter.name = string(value, "'name'") ?? ""
            case "in":
                sawLocation = true
                if let text = string(value, "'in'") {
                    if let location = ParameterLocation(rawValue: text), location != .querystring || version >= .v3_2 {
                        parameter.location = location
                    } else {
                        error("'in' must be path, query, header or cookie, not '\(text)'", at: value)
                    }
                }
            case "description": parameter.description = string(value, "'description'")
            case "required": parameter.required = bool(value, "'required'") ?? false
            case "deprecated": parameter.deprecated = bool(value, "'deprecated'") ?? false
            case "allowEmptyValue": parameter.allowEmptyValue = bool(value, "'allowEmptyValue'") ?? false
            case "style": parameter.style = style(value)
            case "explode": parameter.explode = bool(value, "'explode'")
            case "allowReserved": parameter.allowReserved = bool(value, "'allowReserved'") ?? false
            case "schema": parameter.schema = schema(value)
            case "content": parameter.content = content(value)
            case "example": parameter.example = json(value)
            case "examples": parameter.examples = map(value, "examples", .example, example)
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawName { error("a parameter needs a 'name'", at: id) }
        if !sawLocation { error("a parameter needs 'in' (path, query, header or cookie)", at: id) }
        if parameter.location == .path && !parameter.required && sawLocation {
            error("path parameter '\(parameter.name)' must have 'required: true'", at: id)
        }
        if parameter.schema != nil && !parameter.content.isEmpty {
            error("parameter '\(parameter.name)' has both 'schema' and 'content'; use one", at: id)
        }
        if parameter.content.count > 1 {
            error("parameter '\(parameter.name)' must have exactly one media type in 'content'", at: id)
        }
        return parameter
    }

    func style(_ id: NodeID) -> ParameterStyle? {
        guard let text = string(id, "'style'") else { return nil }
        guard let style = ParameterStyle(rawValue: text) else {
            let known = ParameterStyle.allCases.map(\.rawValue).joined(separator: ", ")
            error("unknown style '\(text)'; expected one of \(known)", at: id)
            return nil
        }
        return style
    }

    func header(_ id: NodeID) -> Header? {
        var header = Header(location: location(id))
        header.extensions = fields(of: id, in: "a header") { key, value in
            switch key {
            case "description": header.description = string(value, "'description'")
            case "required": header.required = bool(value, "'required'") ?? false
            case "deprecated": header.deprecated = bool(value, "'deprecated'") ?? false
            case "style": header.style = style(value)
            case "explode": header.explode = bool(value, "'explode'")
            case "schema": header.schema = schema(value)
            case "content": header.content = content(value)
            case "example": header.example = json(value)
            case "examples": header.examples = map(value, "examples", .example, example)
            case "name", "in":
                warning("a header object takes its name from its key; '\(key)' is ignored", at: value)
            default: return false
            }
            return true
        }
        return kind(id) == .mapping ? header : nil
    }

    func requestBody(_ id: NodeID) -> RequestBody? {
        var body = RequestBody(location: location(id))
        var sawContent = false
        body.extensions = fields(of: id, in: "a request body") { key, value in
            switch key {
            case "description": body.description = string(value, "'description'")
            case "content":
                sawContent = true
                body.content = content(value)
            case "required": body.required = bool(value, "'required'") ?? false
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawContent { error("a request body needs 'content'", at: id) }
        return body
    }

    func content(_ id: NodeID) -> OrderedMap<MediaType> {
        var result = OrderedMap<MediaType>()
        for entry in entries(of: id, in: "'content'") {
            if let media = mediaType(entry.value) { result[entry.key] = media }
        }
        return result
    }

    func mediaType(_ id: NodeID) -> MediaType? {
        var media = MediaType(location: location(id))
        media.extensions = fields(of: id, in: "a media type") { key, value in
            switch key {
            case "schema": media.schema = schema(value)
            case "itemSchema": media.itemSchema = schema(value)
            case "example": media.example = json(value)
            case "examples": media.examples = map(value, "examples", .example, example)
            case "encoding":
                for entry in entries(of: value, in: "'encoding'") {
                    media.encoding[entry.key] = encoding(entry.value)
                }
            default: return false
            }
            return true
        }
        return kind(id) == .mapping ? media : nil
    }

    func encoding(_ id: NodeID) -> Encoding {
        var encoding = Encoding()
        _ = fields(of: id, in: "an encoding") { key, value in
            switch key {
            case "contentType": encoding.contentType = string(value, "'contentType'")
            case "headers": encoding.headers = map(value, "headers", .header, header)
            case "style": encoding.style = style(value)
            case "explode": encoding.explode = bool(value, "'explode'")
            case "allowReserved": encoding.allowReserved = bool(value, "'allowReserved'") ?? false
            default: return false
            }
            return true
        }
        return encoding
    }

    func response(_ id: NodeID) -> Response? {
        var response = Response(location: location(id))
        var sawDescription = false
        response.extensions = fields(of: id, in: "a response") { key, value in
            switch key {
            case "description":
                sawDescription = true
                response.description = string(value, "'description'")
            case "summary": break
            case "headers": response.headers = map(value, "headers", .header, header)
            case "content": response.content = content(value)
            case "links": response.links = map(value, "links", .link, link)
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawDescription && version < .v3_2 { warning("a response should have a 'description'", at: id) }
        return response
    }

    func example(_ id: NodeID) -> Example? {
        var example = Example()
        _ = fields(of: id, in: "an example") { key, value in
            switch key {
            case "summary": example.summary = string(value, "'summary'")
            case "description": example.description = string(value, "'description'")
            case "value", "dataValue": example.value = json(value)
            case "externalValue": example.externalValue = string(value, "'externalValue'")
            case "serializedValue": break
            default: return false
            }
            return true
        }
        return kind(id) == .mapping ? example : nil
    }

    func link(_ id: NodeID) -> Link? {
        var link = Link()
        _ = fields(of: id, in: "a link") { key, value in
            switch key {
            case "operationRef": link.operationRef = string(value, "'operationRef'")
            case "operationId": link.operationId = string(value, "'operationId'")
            case "parameters":
                for entry in entries(of: value, in: "'parameters'") { link.parameters[entry.key] = json(entry.value) }
            case "requestBody": link.requestBody = json(value)
            case "description": link.description = string(value, "'description'")
            case "server": link.server = servers(value).first
            default: return false
            }
            return true
        }
        return kind(id) == .mapping ? link : nil
    }

    func callback(_ id: NodeID) -> Callback? {
        var callback = Callback()
        for entry in entries(of: id, in: "a callback") where !entry.key.hasPrefix("x-") {
            if let item = referenceable(entry.value, as: .pathItem, pathItem) { callback.expressions[entry.key] = item }
        }
        return kind(id) == .mapping ? callback : nil
    }

    func securityScheme(_ id: NodeID) -> SecurityScheme? {
        var scheme = SecurityScheme(kind: .http, sourceLocation: location(id))
        var sawType = false
        scheme.extensions = fields(of: id, in: "a security scheme") { key, value in
            switch key {
            case "type":
                sawType = true
                if let text = string(value, "'type'") {
                    if let kind = SecurityScheme.Kind(rawValue: text) {
                        scheme.kind = kind
                    } else {
                        error("unknown security scheme type '\(text)'", at: value)
                    }
                }
            case "description": scheme.description = string(value, "'description'")
            case "name": scheme.name = string(value, "'name'")
            case "in":
                if let text = string(value, "'in'") {
                    scheme.location = ParameterLocation(rawValue: text)
                    if scheme.location == nil { error("'in' must be header, query or cookie", at: value) }
                }
            case "scheme": scheme.scheme = string(value, "'scheme'")
            case "bearerFormat": scheme.bearerFormat = string(value, "'bearerFormat'")
            case "openIdConnectUrl": scheme.openIdConnectUrl = string(value, "'openIdConnectUrl'")
            case "oauth2MetadataUrl", "deprecated": break
            case "flows":
                for entry in entries(of: value, in: "'flows'") where !entry.key.hasPrefix("x-") {
                    var flow = SecurityScheme.OAuthFlow()
                    _ = fields(of: entry.value, in: "an OAuth flow") { key, value in
                        switch key {
                        case "authorizationUrl": flow.authorizationUrl = string(value, "'authorizationUrl'")
                        case "tokenUrl": flow.tokenUrl = string(value, "'tokenUrl'")
                        case "refreshUrl": flow.refreshUrl = string(value, "'refreshUrl'")
                        case "deviceAuthorizationUrl": break
                        case "scopes":
                            for scope in entries(of: value, in: "'scopes'") {
                                flow.scopes[scope.key] = string(scope.value, "a scope description") ?? ""
                            }
                        default: return false
                        }
                        return true
                    }
                    scheme.flows[entry.key] = flow
                }
            default: return false
            }
            return true
        }
        guard kind(id) == .mapping else { return nil }
        if !sawType { error("a security scheme needs a 'type'", at: id) }
        return scheme
    }
}
