import Foundation
import OpenAPI

extension SpecComparer {
    /// `application/json; charset=utf-8` → `application/json`.
    private static func mediaKey(_ type: String) -> String {
        // Most are written plain and in lower case already.
        if !type.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: " ") || (65...90).contains($0) }) {
            return type
        }
        let base = type.split(separator: ";", maxSplits: 1).first.map(String.init) ?? type
        return base.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func keyed(_ content: OrderedMap<MediaType>) -> OrderedMap<(type: String, media: MediaType)> {
        var result = OrderedMap<(type: String, media: MediaType)>()
        for (type, media) in content where result[mediaKey(type)] == nil { result[mediaKey(type)] = (type, media) }
        return result
    }

    func compareRequestBodies(_ previous: OperationEntry, _ current: OperationEntry) {
        let label = current.label
        let before = previous.operation.requestBody.flatMap { old.references.resolve($0) }
        let after = current.operation.requestBody.flatMap { new.references.resolve($0) }
        let webhook = current.isWebhook
        switch (before, after) {
        case (nil, nil): return
        case (nil, let body?):
            if body.required {
                report(.requiredRequestBodyAdded, label, "required request body added", at: body.location)
            } else {
                report(.optionalRequestBodyAdded, label, "optional request body added", at: body.location)
            }
        case (let body?, nil):
            report(.requestBodyRemoved, label, "request body removed: the server ignores it now", at: body.location)
        case (let oldBody?, let newBody?):
            if !oldBody.required, newBody.required {
                report(.requestBodyBecameRequired, label, "request body became required", at: newBody.location)
            } else if oldBody.required, !newBody.required {
                report(.requestBodyBecameOptional, label, "request body became optional", at: newBody.location)
            }
            let prefix = current.rulePrefix + "request"
            compareContents(
                oldBody.content, newBody.content, label: label, subject: "request body",
                removed: .requestMediaTypeRemoved, added: .requestMediaTypeAdded,
                rootPrefix: "\(prefix)-body", propertyPrefix: "\(prefix)-property", side: prefix,
                flow: webhook ? .toClient : .toServer)
        }
    }

    /// Media types matched by type (parameters aside): a removed one, an added one, and the
    /// schemas of those in both.
    private func compareContents(
        _ oldContent: OrderedMap<MediaType>, _ newContent: OrderedMap<MediaType>, label: String, subject: String,
        removed: DiffRule, added: DiffRule, rootPrefix: String, propertyPrefix: String, side: String, flow: DataFlow
    ) {
        let oldTypes = Self.keyed(oldContent)
        let newTypes = Self.keyed(newContent)
        for (key, entry) in newTypes {
            guard let previous = oldTypes[key] else {
                report(added, label, "\(subject): media type \(entry.type) added", at: entry.media.location)
                continue
            }
            guard let oldSchema = previous.media.schema ?? previous.media.itemSchema,
                let newSchema = entry.media.schema ?? entry.media.itemSchema
            else { continue }
            let context = SchemaContext(
                operation: label, subject: "\(subject) (\(entry.type))", rootPrefix: rootPrefix,
                propertyPrefix: propertyPrefix, flow: flow, side: side)
            compareSchemas(oldSchema, newSchema, context)
        }
        for (key, entry) in oldTypes where newTypes[key] == nil {
            report(removed, label, "\(subject): media type \(entry.type) removed", at: entry.media.location)
        }
    }

    func compareResponses(_ previous: OperationEntry, _ current: OperationEntry) {
        let label = current.label
        let flow: DataFlow = current.isWebhook ? .toServer : .toClient
        let prefix = current.rulePrefix + "response"
        let oldResponses = previous.operation.responses
        for (code, reference) in current.operation.responses {
            guard let response = new.references.resolve(reference) else { continue }
            let success = ResponseKey(code)?.isSuccess == true
            guard let oldReference = oldResponses[code], let before = old.references.resolve(oldReference) else {
                report(
                    success ? .successStatusAdded : .nonSuccessStatusAdded, label, "response \(code) added",
                    at: response.location)
                continue
            }
            compareContents(
                before.content, response.content, label: label, subject: "response \(code)",
                removed: .responseMediaTypeRemoved, added: .responseMediaTypeAdded, rootPrefix: "\(prefix)-body",
                propertyPrefix: "\(prefix)-property", side: prefix, flow: flow)
            compareHeaders(before, response, code: code, label: label, flow: flow, prefix: prefix)
        }
        for (code, reference) in oldResponses where current.operation.responses[code] == nil {
            guard let response = old.references.resolve(reference) else { continue }
            let success = ResponseKey(code)?.isSuccess == true
            report(
                success ? .successStatusRemoved : .nonSuccessStatusRemoved, label, "response \(code) removed",
                at: response.location)
        }
    }

    private func compareHeaders(
        _ before: Response, _ after: Response, code: String, label: String, flow: DataFlow, prefix: String
    ) {
        func keyed(_ headers: OrderedMap<Referenceable<Header>>, _ spec: LoadedSpec) -> OrderedMap<(name: String, header: Header)> {
            var result = OrderedMap<(name: String, header: Header)>()
            for (name, reference) in headers {
                if let header = spec.references.resolve(reference) { result[name.lowercased()] = (name, header) }
            }
            return result
        }
        let oldHeaders = keyed(before.headers, old)
        let newHeaders = keyed(after.headers, new)
        for (key, entry) in newHeaders {
            let place = "response \(code) header '\(entry.name)'"
            guard let previous = oldHeaders[key] else {
                report(.headerAdded, label, "\(place) added", at: entry.header.location)
                continue
            }
            if previous.header.required, !entry.header.required {
                report(.headerBecameOptional, label, "\(place) became optional", at: entry.header.location)
            }
            if let oldSchema = previous.header.schema, let newSchema = entry.header.schema {
                let context = SchemaContext(
                    operation: label, subject: place, rootPrefix: "\(prefix)-header", propertyPrefix: "\(prefix)-header",
                    flow: flow, side: "\(prefix)-header")
                compareSchemas(oldSchema, newSchema, context)
            }
        }
        for (key, entry) in oldHeaders where newHeaders[key] == nil {
            let place = "response \(code) header '\(entry.name)'"
            if entry.header.required {
                report(.requiredHeaderRemoved, label, "required \(place) removed", at: entry.header.location)
            } else {
                report(.optionalHeaderRemoved, label, "optional \(place) removed", at: entry.header.location)
            }
        }
    }
}
