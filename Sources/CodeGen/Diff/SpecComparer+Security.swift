import OpenAPI

extension SpecComparer {
    /// The operation's requirement alternatives as the model reads them (the document's when it
    /// states none); a public operation has one empty alternative.
    private static func alternatives(_ operation: APIOperation) -> [[String: Set<String>]] {
        guard !operation.security.isEmpty else { return [[:]] }
        return operation.security.map { requirement in
            var schemes: [String: Set<String>] = [:]
            for entry in requirement { schemes[entry.scheme, default: []].formUnion(entry.scopes) }
            return schemes
        }
    }

    private static func describe(_ alternatives: [[String: Set<String>]]) -> String {
        if alternatives.contains(where: \.isEmpty) { return "none" }
        return alternatives.map { alternative in
            alternative.keys.sorted().map { scheme in
                let scopes = alternative[scheme]!.sorted()
                return scopes.isEmpty ? scheme : "\(scheme) (\(scopes.joined(separator: ", ")))"
            }.joined(separator: " and ")
        }.joined(separator: " or ")
    }

    /// A client that satisfied one of the old alternatives must satisfy one of the new: some new
    /// alternative asks for no scheme and no scope the old one did not.
    func compareSecurity(_ previous: OperationEntry, _ current: OperationEntry) {
        let before = Self.alternatives(previous.operation)
        let after = Self.alternatives(current.operation)
        func satisfied(by held: [String: Set<String>]) -> Bool {
            after.contains { alternative in
                alternative.allSatisfy { scheme, scopes in held[scheme].map { scopes.isSubset(of: $0) } ?? false }
            }
        }
        let description = (Self.describe(before), Self.describe(after))
        if before.contains(where: { !satisfied(by: $0) }) {
            report(
                .securityAdded, current.label,
                "security requirement now \(description.1) (was \(description.0))", at: current.operation.location)
        } else if description.0 != description.1 {
            report(
                .securityRelaxed, current.label,
                "security requirement now \(description.1) (was \(description.0))", at: current.operation.location)
        }
    }

    /// A scheme that keeps its name but changes how credentials travel breaks every client using it.
    func compareSecuritySchemes() {
        for (name, scheme) in new.securitySchemes {
            guard let before = old.securitySchemes[name] else { continue }
            func shape(_ scheme: SecurityScheme) -> String {
                var parts = [scheme.kind.rawValue]
                if let place = scheme.location { parts.append("in \(place.rawValue)") }
                if let name = scheme.name { parts.append("named '\(name)'") }
                if let http = scheme.scheme { parts.append(http.lowercased()) }
                if let url = scheme.openIdConnectUrl { parts.append(url) }
                for (flow, details) in scheme.flows { parts.append("\(flow) flow" + (details.tokenUrl.map { " at \($0)" } ?? "")) }
                return parts.joined(separator: " ")
            }
            if shape(before) != shape(scheme) {
                report(
                    .securitySchemeChanged, nil,
                    "security scheme '\(name)' changed from \(shape(before)) to \(shape(scheme))", at: scheme.sourceLocation)
            }
        }
    }
}
