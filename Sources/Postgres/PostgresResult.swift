import CLibPQ

/// Owns one libpq `PGresult` and frees it when the last row referring to it
/// goes away, so rows read values in place instead of copying every cell.
///
/// Column names, the command tag and the affected-row count are read from the
/// `PGresult` when asked, not copied when the result arrives: the generated
/// repositories read cells by position, and building a `[String: Int]` of the
/// names for every result was 10,000 of the 438,000 instructions of an
/// uncached item read (two results; callgrind), most of it on the connection
/// loop's thread.
///
/// `@unchecked Sendable`: a `PGresult` is never modified after libpq returns
/// it, and libpq documents results as safe to read from several threads.
final class PostgresResult: @unchecked Sendable {
    let handle: OpaquePointer
    let rowCount: Int
    let columnCount: Int
    /// Whether the values are in binary format (`PostgresBinary`); libpq gives every column of
    /// a result the same format.
    let isBinary: Bool

    init(_ handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        columnCount = Int(PQnfields(handle))
        isBinary = columnCount > 0 && PQfformat(handle, 0) == 1
    }

    deinit {
        PQclear(handle)
    }

    var columns: [PostgresColumn] {
        (0..<columnCount).map { PostgresColumn(name: columnName(at: $0), type: columnType(at: $0)) }
    }

    /// The name the query gave column `index` (0-based, in range).
    func columnName(at index: Int) -> String {
        PQfname(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// The type of column `index` (0-based, in range).
    func columnType(at index: Int) -> PostgresDataType {
        PostgresDataType(PQftype(handle, Int32(index)))
    }

    /// The first column called `name`, compared byte for byte (a later duplicate is reachable
    /// by position). A linear scan: results have tens of columns, and most are never asked
    /// for by name.
    func columnIndex(named name: String) -> Int? {
        var name = name
        return name.withUTF8 { wanted in
            for index in 0..<columnCount {
                guard let label = PQfname(handle, Int32(index)) else { continue }
                let bytes = UnsafeRawPointer(label).assumingMemoryBound(to: UInt8.self)
                var offset = 0
                while offset < wanted.count, bytes[offset] != 0, bytes[offset] == wanted[offset] { offset += 1 }
                if offset == wanted.count, bytes[offset] == 0 { return index }
            }
            return nil
        }
    }

    /// The command tag, e.g. `INSERT 0 1`.
    var commandTag: String {
        PQcmdStatus(handle).map { String(cString: $0) } ?? ""
    }

    /// Rows inserted, updated, deleted, selected... as the command tag counts them.
    var affectedRows: Int {
        PQcmdTuples(handle).flatMap { Int(String(cString: $0)) } ?? 0
    }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) != 0
    }

    /// Decodes one value with the decoder for its format.
    func decode<T: PostgresDecodable>(_: T.Type, row: Int, column: Int) throws -> T {
        let type = columnType(at: column)
        return try withValue(row: row, column: column) { bytes in
            guard let bytes else { return try T.decodeNull(type: type) }
            return isBinary ? try T.decode(postgresBinary: bytes, type: type) : try T.decode(postgresText: bytes, type: type)
        }
    }

    /// Calls `body` with the value as text (converted when the result is binary), or nil for
    /// NULL: for the decoders that read text only.
    func withText<Result>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) throws -> Result {
        try withValue(row: row, column: column) { bytes in
            guard isBinary, let bytes else { return try body(bytes) }
            return try PostgresBinary.withText(bytes, type: columnType(at: column), body)
        }
    }

    /// Calls `body` with the value's bytes in the result's format, or nil for NULL.
    func withValue<Result>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows
        -> Result
    {
        if isNull(row: row, column: column) { return try body(nil) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard let pointer = PQgetvalue(handle, Int32(row), Int32(column)) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
