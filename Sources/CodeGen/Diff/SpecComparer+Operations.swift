import OpenAPI

/// One operation of a model with what matching needs.
struct OperationEntry {
    /// `GET /items/{}`: the method and the path with its parameters' names left out.
    var key: String
    /// `GET /items/{id}`, or `webhook newItem POST`.
    var label: String
    var operation: APIOperation
    /// A webhook or a callback: a request the server sends, so its flows are reversed.
    var isWebhook: Bool
    /// Before the rule ids of its bodies: `webhook-` or `callback-` (`callback-request-body-…`).
    var rulePrefix = ""
    /// The path template's parameter names, in order.
    var pathParameterNames: [String]
}

extension SpecComparer {
    static func entries(_ operations: [APIOperation], webhook: Bool) -> [OperationEntry] {
        operations.map { operation in
            let method = operation.methodName
            if webhook {
                let label = "webhook \(operation.path) \(method)"
                return OperationEntry(
                    key: label, label: label, operation: operation, isWebhook: true, rulePrefix: "webhook-", pathParameterNames: [])
            }
            let (template, names) = normalise(operation.path)
            return OperationEntry(
                key: "\(method) \(template)", label: "\(method) \(operation.path)", operation: operation, isWebhook: false,
                pathParameterNames: names)
        }
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

    func compareOperations(_ oldEntries: [OperationEntry], _ newEntries: [OperationEntry]) {
        var oldByKey: [String: OperationEntry] = [:]
        for entry in oldEntries where oldByKey[entry.key] == nil { oldByKey[entry.key] = entry }
        var newKeys: Set<String> = []
        for entry in newEntries {
            guard newKeys.insert(entry.key).inserted else { continue }
            if let previous = oldByKey[entry.key] {
                compareOperation(previous, entry)
            } else {
                report(.operationAdded, entry.label, "operation added", at: entry.operation.location)
            }
        }
        var removed: Set<String> = []
        for entry in oldEntries where !newKeys.contains(entry.key) && removed.insert(entry.key).inserted {
            let operation = entry.operation
            if operation.deprecated {
                if let sunset = operation.sunset, sunset > options.today {
                    report(
                        .operationRemovedBeforeSunset, entry.label,
                        "deprecated operation removed before its sunset date \(sunset)", at: operation.location)
                } else {
                    let when = operation.sunset.map { " (sunset \($0) passed)" } ?? ""
                    report(.deprecatedOperationRemoved, entry.label, "deprecated operation removed\(when)", at: operation.location)
                }
            } else {
                report(.operationRemoved, entry.label, "operation removed", at: operation.location)
            }
        }
    }

    private func compareOperation(_ previous: OperationEntry, _ current: OperationEntry) {
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
            let sunset = operation.sunset.map { ", sunset \($0)" } ?? ""
            report(.operationDeprecated, label, "operation deprecated\(sunset)", at: operation.location)
        } else if oldOperation.deprecated, !operation.deprecated {
            report(.operationReinstated, label, "operation no longer deprecated", at: operation.location)
        }
        if let before = oldOperation.sunset, let after = operation.sunset, after < before {
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
        compareSecurity(previous, current)
        // Callbacks are requests the server sends, like webhooks (the model builds them a few
        // levels deep: a reference loop through callbacks ends).
        compareOperations(Self.callbacks(of: previous), Self.callbacks(of: current))
    }

    /// The operations of an operation's callbacks, keyed by callback name, expression and method.
    static func callbacks(of entry: OperationEntry) -> [OperationEntry] {
        entry.operation.callbacks.flatMap { callback in
            callback.operations.map { operation in
                let label = "\(entry.label) callback \(callback.name) \(callback.expression) \(operation.methodName)"
                return OperationEntry(
                    key: label, label: label, operation: operation, isWebhook: true, rulePrefix: "callback-", pathParameterNames: [])
            }
        }
    }
}
