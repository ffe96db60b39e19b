#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decodes any `Decodable` from an already parsed `JSONValue`, without going back to text.
///
/// Generated models validate and build themselves in one pass (`SchemaModel`); this is for the
/// types the generator leaves to `Codable` (hand-written types, `oneOf` unions it cannot
/// specialise), through `DecodableSchemaValue`. Conversions are pydantic's for the types it
/// knows (lowercase or uppercase UUIDs, RFC 3339 dates) and strict JSON otherwise.
public struct JSONValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decodeValue(T.self)
    }
}

/// A `Decodable` type validated by decoding: a `DecodingError` becomes one validation error at
/// the path where it happened.
public protocol DecodableSchemaValue: SchemaValue, Decodable {}

extension DecodableSchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Self? {
        do {
            return try JSONValueDecoder().decode(Self.self, from: value)
        } catch let error as DecodingError {
            let (issue, codingPath): (ValidationIssue, [any CodingKey])
            switch error {
            case .keyNotFound(let key, let context): (issue, codingPath) = (.missing, context.codingPath + [key])
            case .valueNotFound(_, let context): (issue, codingPath) = (.missing, context.codingPath)
            case .typeMismatch(_, let context), .dataCorrupted(let context):
                (issue, codingPath) = (
                    ValidationIssue(type: "value_error", message: "Value error, \(context.debugDescription)"), context.codingPath
                )
            @unknown default: (issue, codingPath) = (ValidationIssue(type: "value_error", message: "Value error"), [])
            }
            var path = location.path
            for key in codingPath { path = path.appending(key.intValue.map(LocationSegment.index) ?? .key(key.stringValue)) }
            errors.record(issue, at: path, input: value)
            return nil
        } catch {
            errors.record(ValidationIssue(type: "value_error", message: "Value error, \(error)"), at: location, input: value)
            return nil
        }
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = self.value else { throw self.mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, codingPath: self.codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = self.value else { throw self.mismatch([JSONValue].self) }
        return UnkeyedContainer(elements: elements, codingPath: self.codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(decoder: self) }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: self.codingPath, debugDescription: "Expected \(type), found \(self.value)"))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is UUID.Type:
            guard case .string(let text) = self.value, case .success(let uuid) = UUIDText.parse(text) else {
                throw self.mismatch(UUID.self)
            }
            return uuid as! T
        case is Date.Type:
            switch self.value {
            case .string(let text):
                guard case .success(let date) = RFC3339.parseDateTime(text) else { throw self.mismatch(Date.self) }
                return date as! T
            case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds)) as! T
            case .double(let seconds): return Date(timeIntervalSince1970: seconds) as! T
            default: throw self.mismatch(Date.self)
            }
        case is JSONValue.Type:
            return self.value as! T
        default:
            return try T(from: self)
        }
    }

    func string() throws -> String {
        guard case .string(let string) = self.value else { throw self.mismatch(String.self) }
        return string
    }

    func bool() throws -> Bool {
        guard case .bool(let bool) = self.value else { throw self.mismatch(Bool.self) }
        return bool
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch self.value {
        case .integer(let integer): if let exact = T(exactly: integer) { return exact }
        case .double(let double): if let exact = T(exactly: double) { return exact }
        default: break
        }
        throw self.mismatch(T.self)
    }

    func floatingPoint<T: BinaryFloatingPoint>(_ type: T.Type) throws -> T {
        switch self.value {
        case .integer(let integer): return T(integer)
        case .double(let double): return T(double)
        default: throw self.mismatch(T.self)
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { self.object.members.compactMap { Key(stringValue: $0.key) } }
    func contains(_ key: Key) -> Bool { self.object[key.stringValue] != nil }

    private func decoder(for key: Key) throws -> ValueDecoder {
        guard let value = self.object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: self.codingPath, debugDescription: "No value for \(key.stringValue)"))
        }
        return ValueDecoder(value: value, codingPath: self.codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { self.object[key.stringValue]?.isNull ?? true }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try self.decoder(for: key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try self.decoder(for: key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try self.decoder(for: key).floatingPoint(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try self.decoder(for: key).floatingPoint(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try self.decoder(for: key).integer(Int.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try self.decoder(for: key).integer(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try self.decoder(for: key).integer(Int64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try self.decoder(for: key).decodeValue(T.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try self.decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try self.decoder(for: key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(self.object), codingPath: self.codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try self.decoder(for: key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { self.elements.count }
    var isAtEnd: Bool { self.currentIndex >= self.elements.count }

    private mutating func next() throws -> ValueDecoder {
        guard !self.isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: self.codingPath, debugDescription: "Unkeyed container is at end"))
        }
        defer { self.currentIndex += 1 }
        return ValueDecoder(value: self.elements[self.currentIndex], codingPath: self.codingPath + [IndexKey(self.currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !self.isAtEnd, self.elements[self.currentIndex].isNull else { return false }
        self.currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try self.next().bool() }
    mutating func decode(_ type: String.Type) throws -> String { try self.next().string() }
    mutating func decode(_ type: Double.Type) throws -> Double { try self.next().floatingPoint(Double.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try self.next().integer(Int.self) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try self.next().decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try self.next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try self.next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try self.next() }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { self.decoder.codingPath }

    func decodeNil() -> Bool { self.decoder.value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try self.decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try self.decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try self.decoder.floatingPoint(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try self.decoder.floatingPoint(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try self.decoder.integer(Int.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try self.decoder.integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try self.decoder.integer(Int64.self) }
    // Written out, like the sizes above: the default for each is the generic `decode`, which
    // asked the value to decode itself from this container again, for ever (`[Int8]`
    // overflowed the stack).
    func decode(_ type: Int8.Type) throws -> Int8 { try self.decoder.integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try self.decoder.integer(Int16.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try self.decoder.integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try self.decoder.integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try self.decoder.integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try self.decoder.integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try self.decoder.integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try self.decoder.decodeValue(T.self) }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { String(self.intValue ?? 0) }
    init(_ index: Int) { self.intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
