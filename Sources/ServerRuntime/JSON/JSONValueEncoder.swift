#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Encodes any `Encodable` into a `JSONValue`, the way FastAPI (pydantic) writes responses.
///
/// Used instead of Foundation's `JSONEncoder` for response bodies because pydantic's output
/// differs from `JSONEncoder`'s in ways clients see: UUIDs are lowercase, dates are RFC 3339 with
/// `Z` and microseconds only when present, optional properties that are nil are written as
/// `null` (synthesised `Codable` would leave them out), `/` is not escaped, and keys keep the
/// declaration order. It is stateless, so one instance serves every request.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let special = Self.special(value) { return special }
        let encoder = ValueEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.node?.resolved ?? .object([:])
    }

    /// Types pydantic writes differently from their `Codable` form. Every nested value passes
    /// here, so the types are told apart by comparing metadata pointers: five failed `as?`
    /// casts per value (`swift_dynamicCast`) were 5% of the server's time on a list of 100 items.
    static func special<T: Encodable>(_ value: T) -> JSONValue? {
        if T.self == UUID.self { return .string(UUIDText.format(unsafeBitCast(value, to: UUID.self))) }
        if T.self == Date.self { return .string(RFC3339.format(unsafeBitCast(value, to: Date.self))) }
        if T.self == URL.self { return .string(unsafeBitCast(value, to: URL.self).absoluteString) }
        if T.self == JSONValue.self { return unsafeBitCast(value, to: JSONValue.self) }
        if T.self == JSONObject.self { return .object(unsafeBitCast(value, to: JSONObject.self)) }
        return nil
    }
}

/// A value under construction: containers are references so nested containers can be filled
/// after they are handed out, as `Encoder` allows.
private enum Node {
    case value(JSONValue)
    case object(ObjectBox)
    case array(ArrayBox)

    var resolved: JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let box): return .object(JSONObject(box.members.map { .init(key: $0.key, value: $0.node.resolved) }))
        case .array(let box): return .array(box.elements.map(\.resolved))
        }
    }
}

private final class ObjectBox {
    var members: [(key: String, node: Node)] = []

    func set(_ key: String, _ node: Node) {
        if let index = self.members.firstIndex(where: { $0.key == key }) {
            self.members[index].node = node
        } else {
            self.members.append((key, node))
        }
    }
}

private final class ArrayBox {
    var elements: [Node] = []
}

private final class ValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = self.node {
            box = existing
        } else {
            box = ObjectBox()
            self.node = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: self.codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = self.node {
            box = existing
        } else {
            box = ArrayBox()
            self.node = .array(box)
        }
        return UnkeyedContainer(box: box, codingPath: self.codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(encoder: self)
    }

    /// Coding paths are not tracked (always empty): building one per nested value would cost an
    /// array allocation per property, and response types do not fail to encode.
    static func node<T: Encodable>(for value: T, codingPath: [any CodingKey]) throws -> Node {
        // The common scalars without an encoder of their own (an optional `String` property, an
        // array of strings reach here generically): 7.6% of the server's time on a page of 100
        // items went to a `ValueEncoder` per nullable string.
        if T.self == String.self { return .value(.string(unsafeBitCast(value, to: String.self))) }
        if T.self == Int.self { return .value(.integer(unsafeBitCast(value, to: Int.self))) }
        if T.self == Bool.self { return .value(.bool(unsafeBitCast(value, to: Bool.self))) }
        if T.self == Double.self { return .value(.double(unsafeBitCast(value, to: Double.self))) }
        if let special = JSONValueEncoder.special(value) { return .value(special) }
        // The other standard scalars: their `encode(to:)` asks a single value container, whose
        // generic `encode` (the default for the sizes not written out below) came back here, for
        // ever: `[Int8]` overflowed the stack.
        if let primitive = JSONValueEncoder.primitive(value) { return .value(primitive) }
        let encoder = ValueEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.node ?? .value(.object([:]))
    }
}

extension JSONValueEncoder {
    /// The standard scalars other than `String`, `Int`, `Bool` and `Double`.
    fileprivate static func primitive<T>(_ value: T) -> JSONValue? {
        if T.self == Int64.self { return .integer(Int(unsafeBitCast(value, to: Int64.self))) }
        if T.self == Int32.self { return .integer(Int(unsafeBitCast(value, to: Int32.self))) }
        if T.self == Int16.self { return .integer(Int(unsafeBitCast(value, to: Int16.self))) }
        if T.self == Int8.self { return .integer(Int(unsafeBitCast(value, to: Int8.self))) }
        if T.self == UInt.self { return integer(unsafeBitCast(value, to: UInt.self)) }
        if T.self == UInt64.self { return integer(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == UInt32.self { return .integer(Int(unsafeBitCast(value, to: UInt32.self))) }
        if T.self == UInt16.self { return .integer(Int(unsafeBitCast(value, to: UInt16.self))) }
        if T.self == UInt8.self { return .integer(Int(unsafeBitCast(value, to: UInt8.self))) }
        if T.self == Float.self { return .double(Double(unsafeBitCast(value, to: Float.self))) }
        return nil
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { self.box.set(key.stringValue, .value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.box.set(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { self.box.set(key.stringValue, .value(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { self.box.set(key.stringValue, .value(.double(value))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { self.box.set(key.stringValue, .value(.double(Double(value)))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { self.box.set(key.stringValue, .value(integer(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { self.box.set(key.stringValue, .value(.integer(Int(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { self.box.set(key.stringValue, .value(integer(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.box.set(key.stringValue, try ValueEncoder.node(for: value, codingPath: self.codingPath))
    }

    // pydantic writes `None` as null, so absent optionals are written rather than skipped.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try self.encodeOptional(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try self.encodeOptional(value, key) }

    /// A nil optional is written as `null` only where the schema allows `null` (FastAPI writes
    /// its `None` fields that way); anywhere else `null` would break the contract, so the key is
    /// left out, as JSON Schema's optional properties mean.
    private mutating func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value {
            try self.encode(value, forKey: key)
        } else if let schemaKey = key as? any SchemaCodingKey, schemaKey.acceptsNull {
            try self.encodeNil(forKey: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<
        NestedKey
    > {
        let nested = ObjectBox()
        self.box.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: self.codingPath))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        self.box.set(key.stringValue, .array(nested))
        return UnkeyedContainer(box: nested, codingPath: self.codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        SuperEncoder(codingPath: self.codingPath) { [box] node in box.set("super", node) }
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SuperEncoder(codingPath: self.codingPath) { [box] node in box.set(key.stringValue, node) }
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    var count: Int { self.box.elements.count }

    mutating func encodeNil() throws { self.box.elements.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { self.box.elements.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { self.box.elements.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { self.box.elements.append(.value(.double(value))) }
    mutating func encode(_ value: Int) throws { self.box.elements.append(.value(.integer(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.box.elements.append(try ValueEncoder.node(for: value, codingPath: self.codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        self.box.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: self.codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        self.box.elements.append(.array(nested))
        return UnkeyedContainer(box: nested, codingPath: self.codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let index = self.box.elements.count
        self.box.elements.append(.value(.null))
        return SuperEncoder(codingPath: self.codingPath) { [box] node in box.elements[index] = node }
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { self.encoder.codingPath }

    mutating func encodeNil() throws { self.encoder.node = .value(.null) }
    mutating func encode(_ value: Bool) throws { self.encoder.node = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { self.encoder.node = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { self.encoder.node = .value(.double(value)) }
    mutating func encode(_ value: Float) throws { self.encoder.node = .value(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { self.encoder.node = .value(.integer(value)) }
    mutating func encode(_ value: Int32) throws { self.encoder.node = .value(.integer(Int(value))) }
    mutating func encode(_ value: Int64) throws { self.encoder.node = .value(.integer(Int(value))) }
    mutating func encode(_ value: UInt64) throws { self.encoder.node = .value(integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.encoder.node = try ValueEncoder.node(for: value, codingPath: self.codingPath)
    }
}

/// An encoder whose result is stored by a callback once the value has written into it.
private final class SuperEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private let inner: ValueEncoder
    private let store: (Node) -> Void

    init(codingPath: [any CodingKey], store: @escaping (Node) -> Void) {
        self.codingPath = codingPath
        self.inner = ValueEncoder(codingPath: codingPath)
        self.store = store
    }

    deinit {
        self.store(self.inner.node ?? .value(.object([:])))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { self.inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { self.inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { self.inner.singleValueContainer() }
}

private func integer<T: BinaryInteger>(_ value: T) -> JSONValue {
    if let exact = Int(exactly: value) { return .integer(exact) }
    return .double(Double(value))
}
