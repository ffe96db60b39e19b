/// One result row, with typed access to its columns by name or position.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    /// The row's position in its result.
    public let index: Int

    public var columns: [PostgresColumn] { result.columns }

    /// The position of the first column called `name`.
    public func columnIndex(_ name: String) -> Int? {
        result.columnIndex(named: name)
    }

    public func isNull(_ column: String) throws -> Bool {
        result.isNull(row: index, column: try position(of: column))
    }

    public func isNull(at column: Int) throws -> Bool {
        try check(column)
        return result.isNull(row: index, column: column)
    }

    /// Decodes the column called `column` into `type`.
    public func decode<T: Decodable>(_ type: T.Type, column: String) throws -> T {
        try decodeValue(type, at: try position(of: column), codingPath: [])
    }

    /// Decodes the column at `index` (0-based) into `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        try check(column)
        return try decodeValue(type, at: column, codingPath: [])
    }

    /// Decodes the column at `index` (0-based) into a type the client reads natively, with no
    /// dynamic cast and no `Decoder`: how the generated repositories read their rows.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws -> T {
        try check(column)
        do {
            return try result.decode(T.self, row: index, column: column)
        } catch let failure as PostgresDecodingFailure {
            throw PostgresError.decoding(column: result.columnName(at: column), message: failure.message)
        }
    }

    /// Decodes the whole row into `type`, matching coding keys to column
    /// names (a camelCase key also matches its snake_case column). A type the
    /// client reads natively (`Int`, `UUID`, `Date`...) reads the first
    /// column, so `SELECT count(*)` decodes as `Int`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self is any PostgresDecodable.Type {
            return try decode(type, at: 0)
        }
        return try T(from: PostgresRowDecoder(row: self, codingPath: []))
    }

    func position(of column: String) throws -> Int {
        guard let position = result.columnIndex(named: column) else { throw PostgresError.columnNotFound(column) }
        return position
    }

    private func check(_ column: Int) throws {
        guard column >= 0, column < result.columnCount else { throw PostgresError.columnNotFound("#\(column)") }
    }

    /// Decodes one cell. Natively readable types decode straight from the
    /// value; otherwise JSON columns go through `JSONDecoder` and everything
    /// else (string enums, arrays of them) through a single-value `Decoder`,
    /// both from the value's text.
    func decodeValue<T: Decodable>(_ type: T.Type, at column: Int, codingPath: [any CodingKey]) throws -> T {
        let postgresType = result.columnType(at: column)
        do {
            if let native = T.self as? any PostgresDecodable.Type {
                return try result.decode(native, row: index, column: column) as! T
            }
            return try result.withText(row: index, column: column) { text in
                try PostgresCellDecoder.decode(type, text: text, postgresType: postgresType, codingPath: codingPath)
            }
        } catch let failure as PostgresDecodingFailure {
            throw PostgresError.decoding(column: result.columnName(at: column), message: failure.message)
        } catch let error as DecodingError {
            throw PostgresError.decoding(column: result.columnName(at: column), message: "\(error)")
        }
    }
}
