import CLibPQ

/// Parameters in the form libpq takes: type OIDs and NUL-terminated texts.
struct EncodedParameters: Sendable {
    let types: [Oid]
    let values: [String?]

    init(_ binds: [any PostgresBindable]) throws {
        types = binds.map { type(of: $0).postgresType.rawValue }
        values = try binds.map { try $0.postgresText() }
    }

    static let empty = EncodedParameters()

    private init() {
        types = []
        values = []
    }

    /// Lays the values out in one buffer and passes libpq its pointer array
    /// (nil entries are NULLs). libpq copies them into its output buffer, so
    /// the pointers need to live only for the call.
    func withCValues<Result>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result) -> Result {
        var buffer: [CChar] = []
        var offsets: [Int?] = []
        offsets.reserveCapacity(values.count)
        for value in values {
            guard let value else {
                offsets.append(nil)
                continue
            }
            offsets.append(buffer.count)
            buffer.append(contentsOf: value.utf8CString)
        }
        return buffer.withUnsafeBufferPointer { base in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { base.baseAddress! + $0 } }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}
