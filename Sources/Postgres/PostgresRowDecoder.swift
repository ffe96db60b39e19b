/// A `Decoder` over a whole row: a model's coding keys name its columns.
///
/// Keys are the models' `CodingKeys` raw values, which are the snake_case
/// column names; a key that matches no column is retried in snake_case, so
/// models without explicit keys (`ownerId`) still find `owner_id`.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRow
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: codingPath, debugDescription: "a row decodes as a keyed value (a struct)"))
    }

    /// A single value reads the first column.
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard row.result.columnCount > 0 else { throw PostgresError.columnNotFound("#0") }
        return try row.result.withText(row: row.index, column: 0) { text in
            PostgresCellDecoder(text: text.map(Array.init), postgresType: row.result.columnType(at: 0), codingPath: codingPath)
        }.singleValueContainer()
    }

    static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                if !result.isEmpty { result += "_" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    private struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRow
        let codingPath: [any CodingKey]

        var allKeys: [Key] { row.columns.compactMap { Key(stringValue: $0.name) } }

        func contains(_ key: Key) -> Bool {
            column(for: key) != nil
        }

        private func column(for key: Key) -> Int? {
            row.columnIndex(key.stringValue) ?? row.columnIndex(PostgresRowDecoder.snakeCase(key.stringValue))
        }

        private func position(_ key: Key) throws -> Int {
            guard let position = column(for: key) else { throw PostgresError.columnNotFound(key.stringValue) }
            return position
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            try row.isNull(at: try position(key))
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try row.decodeValue(type, at: try position(key), codingPath: codingPath + [key])
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeGeneric(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeGeneric(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeGeneric(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeGeneric(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeGeneric(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeGeneric(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeGeneric(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeGeneric(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeGeneric(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeGeneric(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeGeneric(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeGeneric(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeGeneric(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeGeneric(type, key) }

        private func decodeGeneric<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            try row.decodeValue(type, at: try position(key), codingPath: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw DecodingError.typeMismatch(
                type,
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: "nested containers are not supported; decode the column as a Decodable type (jsonb)"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            let position = try position(key)
            return try row.result.withText(row: row.index, column: position) { text in
                PostgresCellDecoder(
                    text: text.map(Array.init), postgresType: row.result.columnType(at: position),
                    codingPath: codingPath + [key])
            }.unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            PostgresRowDecoder(row: row, codingPath: codingPath)
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            let position = try position(key)
            return try row.result.withText(row: row.index, column: position) { text in
                PostgresCellDecoder(
                    text: text.map(Array.init), postgresType: row.result.columnType(at: position),
                    codingPath: codingPath + [key])
            }
        }
    }
}
