/// The rows a statement returned, in order, plus its command tag.
///
/// Backed by the libpq result itself: values are decoded when read, not
/// copied up front.
public struct PostgresRows: RandomAccessCollection, Sendable {
    let result: PostgresResult

    init(_ result: PostgresResult) {
        self.result = result
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { result.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(indices.contains(position), "row \(position) out of range 0..<\(count)")
        return PostgresRow(result: result, index: position)
    }

    public var columns: [PostgresColumn] { result.columns }

    /// The command tag, e.g. `INSERT 0 1`, `UPDATE 3`, `SELECT 2`.
    public var commandTag: String { result.commandTag }

    /// Rows inserted, updated, deleted, selected... as the command tag counts them.
    public var affectedRows: Int { result.affectedRows }

    /// Decodes every row into `type` (see `PostgresRow.decode(_:)`).
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        try map { try $0.decode(type) }
    }
}
