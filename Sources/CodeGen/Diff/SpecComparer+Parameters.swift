import OpenAPI

extension SpecComparer {
    /// The operation's parameters as the model merges them, keyed by place and name (a
    /// header's name in lower case; a path parameter by its position in the template, so
    /// renaming it is no change).
    private func parameters(of entry: OperationEntry) -> [(key: String, parameter: APIParameter)] {
        var seen: Set<String> = []
        return entry.operation.parameters.compactMap { parameter in
            let key: String
            switch parameter.location {
            case .path:
                key = "path:" + (entry.pathParameterNames.firstIndex(of: parameter.name).map(String.init) ?? parameter.name)
            case .header: key = "header:" + parameter.name.lowercased()
            default: key = "\(parameter.location.rawValue):\(parameter.name)"
            }
            return seen.insert(key).inserted ? (key, parameter) : nil
        }
    }

    func compareParameters(_ previous: OperationEntry, _ current: OperationEntry) {
        let label = current.label
        let oldParameters = parameters(of: previous)
        let newParameters = parameters(of: current)
        var oldByKey: [String: APIParameter] = [:]
        for (key, parameter) in oldParameters { oldByKey[key] = parameter }
        var newKeys: Set<String> = []
        for (key, parameter) in newParameters {
            newKeys.insert(key)
            let name = "parameter '\(parameter.name)' (\(parameter.location.rawValue))"
            let at = parameter.sourceLocation
            guard let before = oldByKey[key] else {
                if parameter.required {
                    report(.requiredParameterAdded, label, "required \(name) added", at: at)
                } else {
                    report(.optionalParameterAdded, label, "optional \(name) added", at: at)
                }
                continue
            }
            if !before.required, parameter.required {
                report(.parameterBecameRequired, label, "\(name) became required", at: at)
            } else if before.required, !parameter.required {
                report(.parameterBecameOptional, label, "\(name) became optional", at: at)
            }
            if before.style != parameter.style || before.explode != parameter.explode {
                report(
                    .parameterStyleChanged, label,
                    "\(name) serialization changed from \(before.style.rawValue)\(before.explode ? " exploded" : "") "
                        + "to \(parameter.style.rawValue)\(parameter.explode ? " exploded" : "")",
                    at: at)
            }
            if !before.deprecated, parameter.deprecated {
                report(.parameterDeprecated, label, "\(name) deprecated", at: at)
            }
            let context = SchemaContext(
                operation: label, subject: name, rootPrefix: "request-parameter", propertyPrefix: "request-parameter",
                flow: current.isWebhook ? .toClient : .toServer, side: "request-parameter")
            compareValues(
                ValueUse(before.type, before.constraints, defaultValue: before.defaultValue, at: before.sourceLocation),
                ValueUse(parameter.type, parameter.constraints, defaultValue: parameter.defaultValue, at: at), context)
        }
        for (key, parameter) in oldParameters where !newKeys.contains(key) {
            let name = "parameter '\(parameter.name)' (\(parameter.location.rawValue))"
            let at = parameter.sourceLocation
            if parameter.deprecated {
                if let sunset = parameter.sunset, sunset > options.today {
                    report(
                        .parameterRemovedBeforeSunset, label, "deprecated \(name) removed before its sunset date \(sunset)", at: at)
                } else {
                    let when = parameter.sunset.map { " (sunset \($0) passed)" } ?? ""
                    report(.deprecatedParameterRemoved, label, "deprecated \(name) removed\(when)", at: at)
                }
            } else {
                report(.parameterRemoved, label, "\(name) removed: the server ignores or refuses it now", at: at)
            }
        }
    }
}
