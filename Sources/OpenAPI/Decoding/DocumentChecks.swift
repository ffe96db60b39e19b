/// Rules that span the document, run once everything is decoded and resolved.
struct DocumentChecks {
    let decoder: DocumentDecoder
    let document: OpenAPIDocument

    func run() {
        checkReferenceLoops()
        checkOperations()
    }

    /// A schema or object whose `$ref` chain comes back to itself has no content at all.
    /// Recursion through properties is fine and is not reported.
    private func checkReferenceLoops() {
        let table = decoder.table
        var reported = Set<String>()
        for (key, schema) in table.schemas.sorted(by: { $0.key < $1.key }) where schema.isPureReference {
            var chain = [key]
            var current = schema
            while current.isPureReference, let next = current.ref {
                if let start = chain.firstIndex(of: next.key) {
                    let loop = chain[start...] + [next.key]
                    // The members, not their order: A → B → A and B → A → B are one loop.
                    if reported.insert(chain[start...].sorted().joined(separator: "\n")).inserted {
                        let names = loop.map { short($0) }.joined(separator: " -> ")
                        decoder.diagnostics.error("reference loop: \(names)", at: next.location)
                    }
                    break
                }
                chain.append(next.key)
                guard let target = table.schemas[next.key] else { break }
                current = target
            }
        }
        checkLoops(table.parameters, &reported)
        checkLoops(table.responses, &reported)
        checkLoops(table.requestBodies, &reported)
        checkLoops(table.headers, &reported)
        checkLoops(table.pathItems, &reported)
        checkLoops(table.examples, &reported)
        checkLoops(table.securitySchemes, &reported)
    }

    private func checkLoops<T>(_ store: [String: Referenceable<T>], _ reported: inout Set<String>) {
        for key in store.keys.sorted() {
            var chain = [key]
            var current = store[key]
            while case .reference(let next)? = current {
                if let start = chain.firstIndex(of: next.key) {
                    let loop = chain[start...] + [next.key]
                    if reported.insert(chain[start...].sorted().joined(separator: "\n")).inserted {
                        decoder.diagnostics.error(
                            "reference loop: \(loop.map { short($0) }.joined(separator: " -> "))", at: next.location)
                    }
                    break
                }
                chain.append(next.key)
                current = store[next.key]
            }
        }
    }

    private func short(_ key: String) -> String {
        guard let hash = key.firstIndex(of: "#") else { return key }
        let file = String(key[..<hash])
        let pointer = String(key[key.index(after: hash)...])
        let entry = decoder.files.first?.file
        return (file == entry ? "" : (file.split(separator: "/").last.map(String.init) ?? file)) + "#" + pointer
    }

    private func checkOperations() {
        let table = decoder.table
        var operationIds: [String: SourceLocation] = [:]
        let schemes = Set(document.components.securitySchemes.keys)
        func checkSecurity(_ requirements: [SecurityRequirement]?, at location: SourceLocation) {
            for requirement in requirements ?? [] {
                for name in requirement.keys where !schemes.contains(name) {
                    decoder.diagnostics.error(
                        "security requirement names '\(name)', which is not in components.securitySchemes", at: location)
                }
            }
        }
        checkSecurity(document.security, at: document.location)
        for (path, entry) in document.paths {
            guard let item = table.resolve(entry) else { continue }
            let templated = templateNames(path)
            var seenTemplates = Set<String>()
            for name in templated where !seenTemplates.insert(name).inserted {
                decoder.diagnostics.error("path '\(path)' uses '{\(name)}' twice", at: item.location)
            }
            let shared = item.parameters.compactMap { table.resolve($0) }
            for (method, operation) in item.operations {
                if let id = operation.operationId {
                    if let first = operationIds[id] {
                        decoder.diagnostics.error(
                            "operationId '\(id)' is used twice (first at \(first.line):\(first.column))",
                            at: operation.location)
                    } else {
                        operationIds[id] = operation.location
                    }
                }
                checkSecurity(operation.security, at: operation.location)
                let own = operation.parameters.compactMap { table.resolve($0) }
                let declared = Set((own + shared).filter { $0.location == .path }.map(\.name))
                for name in templated where !declared.contains(name) {
                    decoder.diagnostics.error(
                        "\(method.rawValue.uppercased()) \(path): path parameter '{\(name)}' is not declared",
                        at: operation.location)
                }
                for parameter in own where parameter.location == .path && !templated.contains(parameter.name) {
                    decoder.diagnostics.warning(
                        "\(method.rawValue.uppercased()) \(path): path parameter '\(parameter.name)' is not in the path",
                        at: parameter.sourceLocation)
                }
                var seen = Set<String>()
                for parameter in own where !seen.insert("\(parameter.location.rawValue) \(parameter.name)").inserted {
                    decoder.diagnostics.error(
                        "parameter '\(parameter.name)' in \(parameter.location.rawValue) is declared twice",
                        at: parameter.sourceLocation)
                }
            }
        }
    }

    private func templateNames(_ path: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in path {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                names.append(name)
                current = nil
            } else if current != nil {
                current!.append(character)
            }
        }
        return names
    }
}
