import Foundation

/// A `Decoder` over one column value (or one array element), for `Decodable`
/// types the client does not read natively: `String`-backed enums, wrappers
/// around a single value, arrays of those.
struct PostgresCellDecoder: Decoder {
    /// The value's text-format bytes; nil for SQL NULL.
    let text: [UInt8]?
    let postgresType: PostgresDataType
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes one value of any `Decodable` type: natively readable types
    /// straight from the text, JSON columns with `JSONDecoder`, the rest
    /// through a `PostgresCellDecoder`.
    static func decode<T: Decodable>(
        _ type: T.Type, text: UnsafeRawBufferPointer?, postgresType: PostgresDataType, codingPath: [any CodingKey]
    ) throws -> T {
        if let native = T.self as? any PostgresDecodable.Type {
            return try decodeNative(native, text: text, postgresType: postgresType) as! T
        }
        if let text, postgresType.isJSON {
            do {
                return try PostgresJSONCoding.decoder().decode(T.self, from: Data(text))
            } catch {
                throw PostgresDecodingFailure("invalid JSON for \(T.self): \(error)")
            }
        }
        return try T(from: PostgresCellDecoder(text: text.map(Array.init), postgresType: postgresType, codingPath: codingPath))
    }

    private static func decodeNative<D: PostgresDecodable>(
        _ type: D.Type, text: UnsafeRawBufferPointer?, postgresType: PostgresDataType
    ) throws -> D {
        guard let text else { return try D.decodeNull(type: postgresType) }
        return try D.decode(postgresText: text, type: postgresType)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(
            [String: Any].self,
            .init(codingPath: codingPath, debugDescription: "a \(postgresType) column holds no keyed value; store it as jsonb"))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let text else {
            throw DecodingError.valueNotFound(
                [Any].self, .init(codingPath: codingPath, debugDescription: "the value is NULL"))
        }
        guard let elements = text.withUnsafeBytes({ ArrayLiteral.parse($0) }) else {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "a \(postgresType) value is not an array"))
        }
        return ElementsContainer(
            elements: elements, elementType: postgresType.elementType ?? .unknown, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValue(decoder: self)
    }

    private struct SingleValue: SingleValueDecodingContainer {
        let decoder: PostgresCellDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }

        func decodeNil() -> Bool { decoder.text == nil }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try decoder.decodeAny(type)
        }

        func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeAny(type) }
        func decode(_ type: String.Type) throws -> String { try decoder.decodeAny(type) }
        func decode(_ type: Double.Type) throws -> Double { try decoder.decodeAny(type) }
        func decode(_ type: Float.Type) throws -> Float { try decoder.decodeAny(type) }
        func decode(_ type: Int.Type) throws -> Int { try decoder.decodeAny(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeAny(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeAny(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeAny(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeAny(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type) }
    }

    func decodeAny<T: Decodable>(_ type: T.Type) throws -> T {
        if let text {
            return try text.withUnsafeBytes {
                try Self.decode(type, text: $0, postgresType: postgresType, codingPath: codingPath)
            }
        }
        return try Self.decode(type, text: nil, postgresType: postgresType, codingPath: codingPath)
    }

    /// Integer widths without a `PostgresDecodable` conformance.
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard let text else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "the value is NULL"))
        }
        return try text.withUnsafeBytes { try I.parsePostgres($0, type: postgresType) }
    }

    /// Walks the elements of an array value.
    private struct ElementsContainer: UnkeyedDecodingContainer {
        let elements: [[UInt8]?]
        let elementType: PostgresDataType
        let codingPath: [any CodingKey]
        var currentIndex = 0

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { throw endError(Any?.self) }
            if elements[currentIndex] == nil {
                currentIndex += 1
                return true
            }
            return false
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            guard !isAtEnd else { throw endError(type) }
            let element = PostgresCellDecoder(
                text: elements[currentIndex], postgresType: elementType,
                codingPath: codingPath + [IndexKey(intValue: currentIndex)])
            let value = try element.decodeAny(type)
            currentIndex += 1
            return value
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: "array elements hold no keyed values"))
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "multi-dimensional arrays are not supported"))
        }

        mutating func superDecoder() throws -> any Decoder {
            guard !isAtEnd else { throw endError(Any.self) }
            defer { currentIndex += 1 }
            return PostgresCellDecoder(
                text: elements[currentIndex], postgresType: elementType,
                codingPath: codingPath + [IndexKey(intValue: currentIndex)])
        }

        private func endError(_ type: Any.Type) -> DecodingError {
            .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no more array elements"))
        }
    }

    struct IndexKey: CodingKey {
        var stringValue: String { "Index \(intValue ?? 0)" }
        var intValue: Int?
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
}
