import OpenAPI

/// Writes `Swift/Conformance.swift`, only under `specgen generate --conformance-entry-points`: a
/// table from each component schema's name to its Swift type's validator and `Codable` round trip,
/// and a driver that reads `{"schema": "<name>", "instance": <json>}` lines from standard input
/// and answers one JSON line each. `scripts/conformance.py` compiles it with the models into one
/// executable per document, so thousands of instances cost one process, not one each.
struct ConformanceEmitter {
    let model: APIModel
    let types: SwiftTypes

    /// The entries: every named type that stands for a component schema of the entry document.
    func file() -> String {
        var writer = CodeWriter()
        let validation = ValidationEmitter(types: types, model: model)
        writer.line("import Foundation")
        writer.line("import ServerRuntime")
        writer.line()
        writer.block("public enum ConformanceEntries {") { writer in
            writer.block("public static let all: [String: ConformanceEntry] = [", closing: "]") { writer in
                var any = false
                for type in model.types {
                    guard let name = Self.componentName(type) else { continue }
                    any = true
                    let swiftName = types.name(.named(type.name))
                    // An alias's own constraints (`Name: {type: string, minLength: 1}`) are checked
                    // as they are where a property names it.
                    var rules: String?
                    if case .alias(let target, let constraints) = type.kind {
                        rules = validation.ruleExpression(target, constraints)
                    }
                    // The runtime's own error types are written, never read as input: no validator.
                    let arguments =
                        types.runtime.isReplaced(type.name)
                        ? ["codable: \(swiftName).self"] : ["\(swiftName).self"] + (rules.map { ["rules: \($0)"] } ?? [])
                    writer.line("\(SwiftNames.literal(name)): ConformanceEntry(\(arguments.joined(separator: ", "))),")
                }
                if !any { writer.line(":") }
            }
        }
        writer.line()
        return writer.text + Self.runtime
    }

    /// The component name of a type declared for `#/components/schemas/<name>` of the entry.
    static func componentName(_ type: NamedType) -> String? {
        let prefix = "#/components/schemas/"
        guard let pointer = type.pointer, pointer.hasPrefix(prefix) else { return nil }
        let escaped = pointer.dropFirst(prefix.count)
        guard !escaped.contains("/") else { return nil }
        return JSONPointer.unescape(escaped)
    }

    /// The entry type and the driver loop; fixed text, so it lives here rather than in the runtime
    /// (servers never need it).
    static let runtime = """
        /// One schema's checks: the validator the server runs on a request, and `Codable`.
        public struct ConformanceEntry: Sendable {
            /// Nil for a type the server never reads as input.
            var validate: (@Sendable (JSONValue) -> [ValidationError])?
            var roundTrip: @Sendable (JSONValue) -> Result<JSONValue, ConformanceFailure>
            /// For a type with a direct writer (`JSONBodyWritable`): what it wrote where that
            /// differs from the encoder's text of the same decoded value.
            var writerMismatch: @Sendable (JSONValue) -> String?

            init<T: Codable>(codable type: T.Type) {
                validate = nil
                roundTrip = { value in
                    do {
                        let decoded = try JSONValueDecoder().decode(T.self, from: value)
                        return .success(try JSONValueEncoder().encode(decoded))
                    } catch {
                        return .failure(ConformanceFailure(text: "\\(error)"))
                    }
                }
                writerMismatch = { value in
                    guard let decoded = try? JSONValueDecoder().decode(T.self, from: value),
                        let writable = decoded as? any JSONBodyWritable,
                        let encoded = try? JSONValueEncoder().encode(decoded)
                    else { return nil }
                    var expected = JSONWriter()
                    expected.write(encoded)
                    let direct = JSONWriter.bytes(of: writable)
                    guard direct != expected.bytes else { return nil }
                    return "writeJSON: " + String(decoding: direct, as: UTF8.self) + " encoder: " + expected.string
                }
            }

            init<T: SchemaValue & Codable>(_ type: T.Type) {
                self.init(codable: type)
                validate = { value in
                    var errors = ValidationErrors()
                    if T.decode(value, at: FieldLocation(.body), errors: &errors) == nil, errors.isEmpty {
                        errors.append(ValidationError(type: "missing_error", loc: ["body"], msg: "refused without an error", input: value))
                    }
                    return errors.errors
                }
            }

            init<T: SchemaValue & Codable, R: Constraint<T>>(_ type: T.Type, rules: R) {
                self.init(type)
                guard let plain = validate else { return }
                validate = { value in
                    var errors = ValidationErrors(plain(value))
                    guard errors.isEmpty, let decoded = T.decode(value, at: FieldLocation(.body), errors: &errors) else {
                        return errors.errors
                    }
                    rules.check(decoded, input: value, at: FieldLocation(.body), errors: &errors)
                    return errors.errors
                }
            }
        }

        public struct ConformanceFailure: Error, Sendable {
            var text: String
        }

        /// Reads `{"schema": ..., "instance": ...}` lines; writes per line `{"schema", "known",
        /// "errors": [{"loc", "type", "msg"}] (absent without a validator), "decoded", "encoded" | "decodeError", "writerMismatch" (when the direct writer differs)}`.
        public enum ConformanceDriver {
            public static func run() {
                while let line = readLine(strippingNewline: true) {
                    guard !line.isEmpty else { continue }
                    var answer: [String: JSONValue] = [:]
                    do {
                        let request = try JSONParser.parse(line)
                        let name = request["schema"]?.stringValue ?? ""
                        let instance = request["instance"] ?? .null
                        answer["schema"] = .string(name)
                        if let entry = ConformanceEntries.all[name] {
                            answer["known"] = .bool(true)
                            if let validate = entry.validate {
                                answer["errors"] = .array(validate(instance).map(\\.jsonValue))
                            }
                            switch entry.roundTrip(instance) {
                            case .success(let encoded):
                                answer["decoded"] = .bool(true)
                                answer["encoded"] = encoded
                                if let mismatch = entry.writerMismatch(instance) { answer["writerMismatch"] = .string(mismatch) }
                            case .failure(let failure):
                                answer["decoded"] = .bool(false)
                                answer["decodeError"] = .string(failure.text)
                            }
                        } else {
                            answer["known"] = .bool(false)
                        }
                    } catch {
                        answer["inputError"] = .string("\\(error)")
                    }
                    var writer = JSONWriter()
                    writer.write(.object(JSONObject(answer.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: $0.value) })))
                    print(writer.string)
                }
            }
        }

        """
}
