import CLibPQ

/// Parameters in the form libpq takes: type OIDs, and each value in text (NUL-terminated) or
/// binary format, laid out in one buffer.
struct EncodedParameters: Sendable {
    let types: [Oid]
    /// The values back to back; a text value ends with its NUL.
    private let bytes: [UInt8]
    /// Where each value starts in `bytes`; nil for SQL NULL.
    private let offsets: [Int?]
    /// Each value's length (read by libpq for binary values only).
    private let lengths: [Int32]
    /// 0 for text, 1 for binary, per value.
    private let formats: [Int32]

    init(_ binds: [any PostgresBindable]) throws {
        var types: [Oid] = []
        var bytes: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        types.reserveCapacity(binds.count)
        offsets.reserveCapacity(binds.count)
        lengths.reserveCapacity(binds.count)
        formats.reserveCapacity(binds.count)
        for bind in binds {
            types.append(type(of: bind).postgresType.rawValue)
            if let binary = bind.postgresBinary() {
                offsets.append(bytes.count)
                lengths.append(Int32(binary.count))
                formats.append(1)
                bytes.append(contentsOf: binary)
            } else if let text = try bind.postgresText() {
                offsets.append(bytes.count)
                lengths.append(0)
                formats.append(0)
                bytes.append(contentsOf: text.utf8)
                bytes.append(0)
            } else {
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
            }
        }
        self.types = types
        self.bytes = bytes
        self.offsets = offsets
        self.lengths = lengths
        self.formats = formats
    }

    static let empty = EncodedParameters()

    private init() {
        (types, bytes, offsets, lengths, formats) = ([], [], [], [], [])
    }

    /// Calls `body` with libpq's value pointers (nil entries are NULLs), lengths and formats.
    /// libpq copies the values into its output buffer, so the pointers need to live only for
    /// the call.
    func withCValues<Result>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> Result
    ) -> Result {
        bytes.withUnsafeBytes { base in
            let start = base.baseAddress?.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset.flatMap { start.map(UnsafePointer.init)?.advanced(by: $0) }
            }
            return pointers.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
