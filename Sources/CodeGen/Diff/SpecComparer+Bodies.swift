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

    private static func keyed(_ contents: [APIContent]) -> [(key: String, content: APIContent)] {
        var seen: Set<String> = []
        return contents.compactMap { content in
            let key = mediaKey(content.contentType)
            return seen.insert(key).inserted ? (key, content) : nil
        }
    }

    /// `response 404`, `response 2XX`, `response default`.
    static func text(_ key: ResponseKey) -> String {
        switch key {
        case .code(let code): "\(code)"
        case .range(let range): "\(range)XX"
        case .default: "default"
        }
    }

    func compareRequestBodies(_ previous: OperationEntry, _ current: OperationEntry) {
        let label = current.label
        let fallback = current.operation.location
        switch (previous.operation.requestBody, current.operation.requestBody) {
        case (nil, nil): return
        case (nil, let body?):
            if body.required {
                report(.requiredRequestBodyAdded, label, "required request body added", at: body.location ?? fallback)
            } else {
                report(.optionalRequestBodyAdded, label, "optional request body added", at: body.location ?? fallback)
            }
        case (let body?, nil):
            report(
                .requestBodyRemoved, label, "request body removed: the server ignores it now",
                at: body.location ?? previous.operation.location)
        case (let oldBody?, let newBody?):
            if !oldBody.required, newBody.required {
                report(.requestBodyBecameRequired, label, "request body became required", at: newBody.location ?? fallback)
            } else if oldBody.required, !newBody.required {
                report(.requestBodyBecameOptional, label, "request body became optional", at: newBody.location ?? fallback)
            }
            let prefix = current.rulePrefix + "request"
            compareContents(
                oldBody.contents, newBody.contents, label: label, subject: "request body",
                removed: .requestMediaTypeRemoved, added: .requestMediaTypeAdded,
                rootPrefix: "\(prefix)-body", propertyPrefix: "\(prefix)-property", side: prefix,
                flow: current.isWebhook ? .toClient : .toServer, locations: (oldBody.location, newBody.location ?? fallback))
        }
    }

    /// Media types matched by type (parameters aside): a removed one, an added one, and the
    /// values of those in both.
    private func compareContents(
        _ oldContents: [APIContent], _ newContents: [APIContent], label: String, subject: String,
        removed: DiffRule, added: DiffRule, rootPrefix: String, propertyPrefix: String, side: String, flow: DataFlow,
        locations: (old: SourceLocation?, new: SourceLocation)
    ) {
        let oldTypes = Self.keyed(oldContents)
        let newTypes = Self.keyed(newContents)
        var oldByKey: [String: APIContent] = [:]
        for (key, content) in oldTypes { oldByKey[key] = content }
        var newKeys: Set<String> = []
        for (key, content) in newTypes {
            newKeys.insert(key)
            let at = content.location ?? locations.new
            guard let before = oldByKey[key] else {
                report(added, label, "\(subject): media type \(content.contentType) added", at: at)
                continue
            }
            // A media type without a schema says nothing of its value: nothing to compare.
            guard !Self.saysNothing(before), !Self.saysNothing(content) else { continue }
            let context = SchemaContext(
                operation: label, subject: "\(subject) (\(content.contentType))", rootPrefix: rootPrefix,
                propertyPrefix: propertyPrefix, flow: flow, side: side)
            compareValues(
                ValueUse(before.type, before.constraints, at: before.location ?? locations.old ?? at),
                ValueUse(content.type, content.constraints, at: at), context)
        }
        for (key, content) in oldTypes where !newKeys.contains(key) {
            report(
                removed, label, "\(subject): media type \(content.contentType) removed",
                at: content.location ?? locations.old ?? locations.new)
        }
    }

    /// Whether a content is typed by nothing its document says (no schema: any value).
    private static func saysNothing(_ content: APIContent) -> Bool {
        content.type == .any && content.constraints.isEmpty
    }

    func compareResponses(_ previous: OperationEntry, _ current: OperationEntry) {
        let label = current.label
        let flow: DataFlow = current.isWebhook ? .toServer : .toClient
        let prefix = current.rulePrefix + "response"
        var oldByKey: [ResponseKey: APIResponse] = [:]
        for response in previous.operation.responses { oldByKey[response.key] = response }
        var newKeys: Set<ResponseKey> = []
        for response in current.operation.responses {
            newKeys.insert(response.key)
            let code = Self.text(response.key)
            let at = response.location ?? current.operation.location
            guard let before = oldByKey[response.key] else {
                report(
                    response.key.isSuccess ? .successStatusAdded : .nonSuccessStatusAdded, label, "response \(code) added", at: at)
                continue
            }
            compareContents(
                before.contents, response.contents, label: label, subject: "response \(code)",
                removed: .responseMediaTypeRemoved, added: .responseMediaTypeAdded, rootPrefix: "\(prefix)-body",
                propertyPrefix: "\(prefix)-property", side: prefix, flow: flow, locations: (before.location, at))
            compareHeaders(before, response, code: code, label: label, flow: flow, prefix: prefix, at: at)
        }
        for response in previous.operation.responses where !newKeys.contains(response.key) {
            report(
                response.key.isSuccess ? .successStatusRemoved : .nonSuccessStatusRemoved, label,
                "response \(Self.text(response.key)) removed", at: response.location ?? previous.operation.location)
        }
    }

    private func compareHeaders(
        _ before: APIResponse, _ after: APIResponse, code: String, label: String, flow: DataFlow, prefix: String,
        at responseLocation: SourceLocation
    ) {
        var oldByName: [String: APIHeader] = [:]
        for header in before.headers { oldByName[header.name.lowercased()] = header }
        var newNames: Set<String> = []
        for header in after.headers {
            let key = header.name.lowercased()
            newNames.insert(key)
            let place = "response \(code) header '\(header.name)'"
            let at = header.location ?? responseLocation
            guard let previous = oldByName[key] else {
                report(.headerAdded, label, "\(place) added", at: at)
                continue
            }
            if previous.required, !header.required {
                report(.headerBecameOptional, label, "\(place) became optional", at: at)
            }
            let context = SchemaContext(
                operation: label, subject: place, rootPrefix: "\(prefix)-header", propertyPrefix: "\(prefix)-header",
                flow: flow, side: "\(prefix)-header")
            compareValues(
                ValueUse(previous.type, previous.constraints, at: previous.location ?? at),
                ValueUse(header.type, header.constraints, at: at), context)
        }
        for header in before.headers where !newNames.contains(header.name.lowercased()) {
            let place = "response \(code) header '\(header.name)'"
            let at = header.location ?? before.location ?? responseLocation
            if header.required {
                report(.requiredHeaderRemoved, label, "required \(place) removed", at: at)
            } else {
                report(.optionalHeaderRemoved, label, "optional \(place) removed", at: at)
            }
        }
    }
}
