import CLibPQ

/// Owns one libpq `PGresult` and frees it when the last row referring to it
/// goes away, so rows read values in place instead of copying every cell.
///
/// `@unchecked Sendable`: a `PGresult` is never modified after libpq returns
/// it, and libpq documents results as safe to read from several threads.
final class PostgresResult: @unchecked Sendable {
    let handle: OpaquePointer
    let rowCount: Int
    let columns: [PostgresColumn]
    let commandTag: String
    let affectedRows: Int
    /// First column of each name (a later duplicate is reachable by index).
    private let indexByName: [String: Int]

    init(_ handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        let columnCount = Int(PQnfields(handle))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        var indexByName: [String: Int] = [:]
        for index in 0..<columnCount {
            let name = PQfname(handle, Int32(index)).map { String(cString: $0) } ?? ""
            columns.append(PostgresColumn(name: name, type: PostgresDataType(PQftype(handle, Int32(index)))))
            if indexByName[name] == nil { indexByName[name] = index }
        }
        self.columns = columns
        self.indexByName = indexByName
        commandTag = PQcmdStatus(handle).map { String(cString: $0) } ?? ""
        affectedRows = PQcmdTuples(handle).flatMap { Int(String(cString: $0)) } ?? 0
    }

    deinit {
        PQclear(handle)
    }

    func columnIndex(named name: String) -> Int? {
        indexByName[name]
    }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) != 0
    }

    /// Calls `body` with the value's text bytes, or nil for NULL.
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
