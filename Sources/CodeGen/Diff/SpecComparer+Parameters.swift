import OpenAPI

extension SpecComparer {
    /// The operation's parameters as the model merges them (`OperationParameters`), keyed by
    /// place and name (a header's name in lower case; a path parameter by its position in the
    /// template, so renaming it is no change).
    private func parameters(of entry: OperationEntry, in spec: LoadedSpec) -> OrderedMap<Parameter> {
        var result = OrderedMap<Parameter>()
        for merged in OperationParameters.merged(entry.item, entry.operation, references: spec.references) {
            let parameter = merged.parameter
            let key: String
            switch parameter.location {
            case .path:
                key = "path:" + (entry.pathParameterNames.firstIndex(of: parameter.name).map(String.init) ?? parameter.name)
            case .header: key = "header:" + parameter.name.lowercased()
            default: key = "\(parameter.location.rawValue):\(parameter.name)"
            }
            result[key] = parameter
        }
        return result
    }

    /// The parameter's schema, or the schema of its one media type.
    private func schema(of parameter: Parameter) -> Schema? {
        parameter.schema ?? parameter.content.values.first?.schema
    }

    func compareParameters(_ previous: OperationEntry, _ current: OperationEntry) {
        let label = current.label
        let oldParameters = parameters(of: previous, in: old)
        let newParameters = parameters(of: current, in: new)
        for (key, parameter) in newParameters {
            let name = "parameter '\(parameter.name)' (\(parameter.location.rawValue))"
            guard let before = oldParameters[key] else {
                if OperationParameters.isRequired(parameter) {
                    report(.requiredParameterAdded, label, "required \(name) added", at: parameter.sourceLocation)
                } else {
                    report(.optionalParameterAdded, label, "optional \(name) added", at: parameter.sourceLocation)
                }
                continue
            }
            let (wasRequired, isRequired) = (OperationParameters.isRequired(before), OperationParameters.isRequired(parameter))
            if !wasRequired, isRequired {
                report(.parameterBecameRequired, label, "\(name) became required", at: parameter.sourceLocation)
            } else if wasRequired, !isRequired {
                report(.parameterBecameOptional, label, "\(name) became optional", at: parameter.sourceLocation)
            }
            if before.effectiveStyle != parameter.effectiveStyle || before.effectiveExplode != parameter.effectiveExplode {
                report(
                    .parameterStyleChanged, label,
                    "\(name) serialization changed from \(before.effectiveStyle.rawValue)"
                        + "\(before.effectiveExplode ? " exploded" : "") to \(parameter.effectiveStyle.rawValue)"
                        + "\(parameter.effectiveExplode ? " exploded" : "")",
                    at: parameter.sourceLocation)
            }
            if !before.deprecated, parameter.deprecated {
                report(.parameterDeprecated, label, "\(name) deprecated", at: parameter.sourceLocation)
            }
            if let oldSchema = schema(of: before), let newSchema = schema(of: parameter) {
                let context = SchemaContext(
                    operation: label, subject: name, rootPrefix: "request-parameter", propertyPrefix: "request-parameter",
                    flow: current.isWebhook ? .toClient : .toServer, side: "request-parameter")
                compareSchemas(oldSchema, newSchema, context)
            }
        }
        for (key, parameter) in oldParameters where newParameters[key] == nil {
            let name = "parameter '\(parameter.name)' (\(parameter.location.rawValue))"
            if parameter.deprecated {
                let sunset = Sunset.date(in: parameter.extensions)
                if let sunset, sunset > options.today {
                    report(
                        .parameterRemovedBeforeSunset, label, "deprecated \(name) removed before its sunset date \(sunset)",
                        at: parameter.sourceLocation)
                } else {
                    let when = sunset.map { " (sunset \($0) passed)" } ?? ""
                    report(.deprecatedParameterRemoved, label, "deprecated \(name) removed\(when)", at: parameter.sourceLocation)
                }
            } else {
                report(
                    .parameterRemoved, label, "\(name) removed: the server ignores or refuses it now",
                    at: parameter.sourceLocation)
            }
        }
    }
}
