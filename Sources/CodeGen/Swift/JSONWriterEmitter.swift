import OpenAPI

/// Writes `writeJSON(to:)` (the runtime's `JSONBodyWritable`) for the models whose JSON has a
/// fixed form, so a response body goes straight into the writer instead of through `Encoder`
/// and a `JSONValue` tree. The generated route's `APIResponse.json` picks it up by overload.
///
/// The bytes must be what `JSONValueEncoder` makes of the same value: keys in declaration
/// order; a nil optional written as `null` where the generated `encode(to:)` does (required,
/// defaulted or nullable properties) and left out elsewhere; UUIDs lowercase; dates RFC 3339.
/// The conformance harness checks the two against each other on every instance.
///
/// A type gets no writer (and keeps the `Encoder` path) when its JSON depends on more than its
/// declared properties: keys beyond them (`additionalProperties`), a union read from the same
/// object (`oneOf` beside `properties`), a partial update's `Patch` fields, bytes (`format:
/// byte`/`binary`), a type the runtime replaces, or a property of such a type.
struct JSONWriterEmitter {
    let model: APIModel
    let types: SwiftTypes
    /// The named types that get a writer (objects, unions) or need none (enums, aliases of
    /// writable types).
    let writable: Set<String>

    init(model: APIModel, types: SwiftTypes) {
        self.model = model
        self.types = types
        // The largest set closed under "every part is writable": start from every type and drop
        // the ones that name a dropped one until nothing changes, so recursive types stay in.
        let byName = Dictionary(model.types.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var writable = Set(model.types.filter { !types.runtime.isReplaced($0.name) }.map(\.name))
        var changed = true
        while changed {
            changed = false
            for name in writable.sorted() {
                guard let type = byName[name], !Self.qualifies(type.kind, writable) else { continue }
                writable.remove(name)
                changed = true
            }
        }
        self.writable = writable
    }

    private static func qualifies(_ kind: NamedType.Kind, _ writable: Set<String>) -> Bool {
        switch kind {
        case .object(let shape):
            shape.additionalProperties == nil && shape.compositions.isEmpty
                && shape.properties.allSatisfy { !$0.isPatch && isWritable($0.type, writable) }
        case .stringEnum, .integerEnum: true
        case .union(let shape): shape.variants.allSatisfy { isWritable($0.type, writable) }
        case .alias(let target, _): isWritable(target, writable)
        }
    }

    private static func isWritable(_ type: TypeRef, _ writable: Set<String>) -> Bool {
        switch type {
        case .named(let name): writable.contains(name)
        case .primitive(let primitive): primitive != .byte && primitive != .binary
        case .array(let inner), .dictionary(let inner), .nullable(let inner): isWritable(inner, writable)
        case .any: true
        }
    }

    /// The conformance for `type`, if it gets one.
    func emit(_ type: NamedType, into writer: inout CodeWriter) {
        guard writable.contains(type.name) else { return }
        let name = types.name(.named(type.name))
        switch type.kind {
        case .object(let shape):
            writer.line()
            writer.block("extension \(name): JSONBodyWritable {") { writer in
                writer.block("public func writeJSON(to writer: inout JSONWriter) {") { writer in
                    emitObject(shape, into: &writer)
                }
            }
        case .union(let shape):
            writer.line()
            writer.block("extension \(name): JSONBodyWritable {") { writer in
                writer.block("public func writeJSON(to writer: inout JSONWriter) {") { writer in
                    writer.cases("switch self {") { writer in
                        for variant in shape.variants {
                            writer.line("case .\(SwiftNames.identifier(variant.name))(let value):")
                            writer.indented { writer in
                                var names = Names()
                                emitValue("value", variant.type, names: &names, into: &writer)
                            }
                        }
                    }
                }
            }
        case .stringEnum, .integerEnum, .alias:
            // Written where they are used (`rawValue`, the aliased type).
            break
        }
    }

    private func emitObject(_ shape: ObjectShape, into writer: inout CodeWriter) {
        guard !shape.properties.isEmpty else {
            writer.line("writer.writeRaw(\"{}\")")
            return
        }
        writer.line("writer.bytes.append(UInt8(ascii: \"{\"))")
        writer.line("var first = true")
        var names = Names()
        for property in shape.properties {
            let key = "writer.writeKey(\(SwiftNames.literal(Self.escapedKey(property.jsonName))), first: &first)"
            let value = "self.\(SwiftNames.identifier(property.name))"
            guard types.propertyType(property).hasSuffix("?") else {
                writer.line(key)
                emitValue(value, property.type, names: &names, into: &writer)
                continue
            }
            // Mirrors the generated `encode(to:)`: `encode` (null when nil) for required and
            // defaulted properties, `encodeIfPresent` for the rest, which the runtime's encoder
            // writes as null only where the schema allows null.
            if property.required || types.appliedDefault(property) != nil || property.type.isNullable {
                writer.line(key)
                if property.type.nonNull == .any {
                    writer.line("writer.write(\(value) ?? .null)")
                } else {
                    emitValue(value, .nullable(property.type.nonNull), names: &names, into: &writer)
                }
                continue
            }
            let unwrapped = names.next("value")
            writer.line("if let \(unwrapped) = \(value) {")
            writer.indented { writer in
                writer.line(key)
                emitValue(unwrapped, property.type.nonNull, names: &names, into: &writer)
            }
            writer.line("}")
        }
        writer.line("writer.bytes.append(UInt8(ascii: \"}\"))")
    }

    /// Statements writing `expression`, a value of the Swift type `types.name(type)`.
    private func emitValue(_ expression: String, _ type: TypeRef, names: inout Names, into writer: inout CodeWriter) {
        switch type {
        case .named(let name):
            guard let named = model.type(named: name) else { return }
            switch named.kind {
            case .object, .union: writer.line("\(expression).writeJSON(to: &writer)")
            case .stringEnum: writer.line("writer.write(string: \(expression).rawValue)")
            case .integerEnum: writer.line("writer.write(integer: \(expression).rawValue)")
            case .alias(let target, _): emitValue(expression, target, names: &names, into: &writer)
            }
        case .primitive(let primitive):
            writer.line(Self.primitive(expression, primitive))
        case .array(let element):
            let item = names.next("element")
            writer.block("writer.writeArray(\(expression)) { writer, \(item) in") { writer in
                emitValue(item, element, names: &names, into: &writer)
            }
        case .dictionary(let value):
            let member = names.next("member")
            writer.block("writer.writeObject(\(expression)) { writer, \(member) in") { writer in
                emitValue(member, value, names: &names, into: &writer)
            }
        case .nullable(let inner):
            // A nullable free-form value is a plain `JSONValue`, which holds null itself.
            if inner.nonNull == .any {
                writer.line("writer.write(\(expression))")
                return
            }
            let unwrapped = names.next("value")
            writer.line("if let \(unwrapped) = \(expression) {")
            writer.indented { writer in emitValue(unwrapped, inner.nonNull, names: &names, into: &writer) }
            writer.line("} else {")
            writer.indented { writer in writer.line("writer.writeNull()") }
            writer.line("}")
        case .any:
            writer.line("writer.write(\(expression))")
        }
    }

    private static func primitive(_ expression: String, _ primitive: TypeRef.Primitive) -> String {
        switch primitive {
        case .string, .date: "writer.write(string: \(expression))"
        case .integer: "writer.write(integer: \(expression))"
        case .int32, .int64: "writer.write(integer: Int(\(expression)))"
        case .number, .double: "writer.write(double: \(expression))"
        case .float: "writer.write(double: Double(\(expression)))"
        case .boolean: "writer.write(bool: \(expression))"
        case .uuid: "writer.write(uuid: \(expression))"
        case .dateTime: "writer.write(date: \(expression))"
        // Never reached: bytes are not writable (`isWritable`), so no writer names them.
        case .byte, .binary: "writer.write((try? JSONValueEncoder().encode(\(expression))) ?? .null)"
        }
    }

    /// A member's key as JSON text with its colon: quote, backslash and control characters
    /// escaped, other text as it is, the same as `JSONWriter.write(string:)` writes it.
    static func escapedKey(_ key: String) -> String {
        var text = ""
        JSONValue.writeQuoted(key, to: &text)
        return text + ":"
    }

    /// Local names, unique within one function (nested closures and `if let`s).
    private struct Names {
        var used: [String: Int] = [:]

        mutating func next(_ base: String) -> String {
            let count = used[base, default: 0]
            used[base] = count + 1
            return count == 0 ? base : "\(base)\(count)"
        }
    }
}
