import OpenAPI

/// One operation of a document with what matching needs.
struct OperationEntry {
    /// `GET /items/{}`: the method and the path with its parameters' names left out.
    var key: String
    /// `GET /items/{id}`, or `webhook newItem POST`.
    var label: String
    var item: PathItem
    var operation: Operation
    /// A webhook or a callback: a request the server sends, so its flows are reversed.
    var isWebhook: Bool
    /// Before the rule ids of its bodies: `webhook-` or `callback-` (`callback-request-body-…`).
    var rulePrefix = ""
    /// The path template's parameter names, in order.
    var pathParameterNames: [String]
}

extension SpecComparer {
    static func operations(of spec: LoadedSpec, in items: OrderedMap<Referenceable<PathItem>>, webhook: Bool) -> [OperationEntry] {
        var entries: [OperationEntry] = []
        for (path, reference) in items {
            guard let item = spec.references.resolve(reference) else { continue }
            let (template, names) = webhook ? (path, []) : normalise(path)
            var all = item.operations.map { ($0.method.rawValue.uppercased(), $0.operation) }
            all += item.additionalOperations.map { ($0.uppercased(), $1) }
            for (method, operation) in all {
                let label = webhook ? "webhook \(path) \(method)" : "\(method) \(path)"
                entries.append(
                    OperationEntry(
                        key: webhook ? label : "\(method) \(template)", label: label, item: item, operation: operation,
                        isWebhook: webhook, rulePrefix: webhook ? "webhook-" : "", pathParameterNames: names))
            }
        }
        return entries
    }

    /// `/items/{id}/tags/{tag}` → (`/items/{}/tags/{}`, [`id`, `tag`]).
    static func normalise(_ path: String) -> (String, [String]) {
        var template = ""
        var names: [String] = []
        var current: String?
        for character in path {
            if character == "{", current == nil {
                current = ""
            } else if character == "}", let name = current {
                names.append(name)
                template += "{}"
                current = nil
            } else if current != nil {
                current!.append(character)
            } else {
                template.append(character)
            }
        }
        if let open = current { template += "{" + open }
        return (template, names)
    }

    func compareOperations(
        _ oldEntries: [OperationEntry], _ newEntries: [OperationEntry], oldDocument: OpenAPIDocument,
        newDocument: OpenAPIDocument
    ) {
        var oldByKey: [String: OperationEntry] = [:]
        for entry in oldEntries where oldByKey[entry.key] == nil { oldByKey[entry.key] = entry }
        var newKeys: Set<String> = []
        for entry in newEntries {
            guard newKeys.insert(entry.key).inserted else { continue }
            if let previous = oldByKey[entry.key] {
                compareOperation(previous, entry, oldDocument: oldDocument, newDocument: newDocument)
            } else {
                report(.operationAdded, entry.label, "operation added", at: entry.operation.location)
            }
        }
        var removed: Set<String> = []
        for entry in oldEntries where !newKeys.contains(entry.key) && removed.insert(entry.key).inserted {
            let operation = entry.operation
            if operation.deprecated {
                if let sunset = Self.sunset(of: operation), sunset > options.today {
                    report(
                        .operationRemovedBeforeSunset, entry.label,
                        "deprecated operation removed before its sunset date \(sunset)", at: operation.location)
                } else {
                    let when = Self.sunset(of: operation).map { " (sunset \($0) passed)" } ?? ""
                    report(.deprecatedOperationRemoved, entry.label, "deprecated operation removed\(when)", at: operation.location)
                }
            } else {
                report(.operationRemoved, entry.label, "operation removed", at: operation.location)
            }
        }
    }

    /// The `x-sunset` date (`YYYY-MM-DD`), as the model reads it.
    static func sunset(of operation: Operation) -> String? {
        Sunset.date(in: operation.extensions)
    }

    private func compareOperation(
        _ previous: OperationEntry, _ current: OperationEntry, oldDocument: OpenAPIDocument, newDocument: OpenAPIDocument
    ) {
        let label = current.label
        let oldOperation = previous.operation
        let operation = current.operation
        if let before = oldOperation.operationId, let after = operation.operationId, before != after {
            report(
                .operationIdChanged, label,
                "operationId changed from '\(before)' to '\(after)': generated clients rename the function",
                at: operation.location)
        }
        if !oldOperation.deprecated, operation.deprecated {
            let sunset = Self.sunset(of: operation).map { ", sunset \($0)" } ?? ""
            report(.operationDeprecated, label, "operation deprecated\(sunset)", at: operation.location)
        } else if oldOperation.deprecated, !operation.deprecated {
            report(.operationReinstated, label, "operation no longer deprecated", at: operation.location)
        }
        if let before = Self.sunset(of: oldOperation), let after = Self.sunset(of: operation), after < before {
            report(.operationSunsetEarlier, label, "sunset moved earlier, from \(before) to \(after)", at: operation.location)
        }
        if previous.pathParameterNames != current.pathParameterNames {
            report(
                .pathParameterRenamed, label,
                "path parameters renamed from \(previous.pathParameterNames.joined(separator: ", ")) "
                    + "to \(current.pathParameterNames.joined(separator: ", "))",
                at: operation.location)
        }
        compareParameters(previous, current)
        compareRequestBodies(previous, current)
        compareResponses(previous, current)
        compareSecurity(previous, current, oldDocument: oldDocument, newDocument: newDocument)
        // Callbacks are requests the server sends, like webhooks; a callback's own callbacks
        // are followed a few levels (a reference loop through callbacks must end).
        guard callbackDepth < 4 else { return }
        callbackDepth += 1
        compareOperations(
            Self.callbacks(of: previous, in: old), Self.callbacks(of: current, in: new), oldDocument: oldDocument,
            newDocument: newDocument)
        callbackDepth -= 1
    }

    /// The operations of an operation's callbacks, keyed by callback name, expression and method.
    static func callbacks(of entry: OperationEntry, in spec: LoadedSpec) -> [OperationEntry] {
        var entries: [OperationEntry] = []
        for (name, reference) in entry.operation.callbacks {
            guard let callback = spec.references.resolve(reference) else { continue }
            for (expression, itemReference) in callback.expressions {
                guard let item = spec.references.resolve(itemReference) else { continue }
                for (method, operation) in item.operations {
                    let label = "\(entry.label) callback \(name) \(expression) \(method.rawValue.uppercased())"
                    entries.append(
                        OperationEntry(
                            key: label, label: label, item: item, operation: operation, isWebhook: true, rulePrefix: "callback-",
                            pathParameterNames: []))
                }
            }
        }
        return entries
    }
}
