/// A JSON object key known only at run time, so headers and payloads can be
/// read and written with arbitrary extra members.
struct ClaimKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
