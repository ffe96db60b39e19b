import OpenAPI

/// A set of JSON types as bits: the comparison builds one per value it reads, and a `Set`
/// allocated each time showed in profiles of large documents.
struct TypeSet: OptionSet, Hashable {
    let rawValue: UInt8

    static let boolean = TypeSet(rawValue: 1 << 0)
    static let object = TypeSet(rawValue: 1 << 1)
    static let array = TypeSet(rawValue: 1 << 2)
    static let number = TypeSet(rawValue: 1 << 3)
    static let string = TypeSet(rawValue: 1 << 4)
    static let integer = TypeSet(rawValue: 1 << 5)

    private static let named: [(TypeSet, String)] = [
        (.boolean, "boolean"), (.object, "object"), (.array, "array"), (.number, "number"), (.string, "string"),
        (.integer, "integer"),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Whether every value of `narrow`'s types is of these types too (an integer is a number).
    func accepts(_ narrow: TypeSet) -> Bool {
        var wide = self
        if wide.contains(.number) { wide.insert(.integer) }
        return wide.isSuperset(of: narrow)
    }

    var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }
}
