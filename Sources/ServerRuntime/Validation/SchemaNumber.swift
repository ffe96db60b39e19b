/// The Swift types of `integer` and `number` schemas: what `NumberRules` needs from them.
public protocol SchemaNumber: Comparable, Sendable {
    /// The value as it appears in `ctx` (`{"ge": 0}`, `{"lt": 1.0}`).
    var jsonValue: JSONValue { get }
    func isSchemaMultiple(of factor: Self) -> Bool
}

extension SchemaNumber where Self: BinaryInteger {
    public var jsonValue: JSONValue { .integer(Int(clamping: self)) }
    public func isSchemaMultiple(of factor: Self) -> Bool {
        factor == 0 || self % factor == 0
    }
}

extension SchemaNumber where Self: BinaryFloatingPoint {
    public var jsonValue: JSONValue { .double(Double(self)) }
    /// pydantic's float check: the remainder, or its distance to the factor, is negligible.
    public func isSchemaMultiple(of factor: Self) -> Bool {
        guard factor != 0 else { return true }
        let remainder = abs(Double(self).truncatingRemainder(dividingBy: Double(factor)))
        let tolerance = 1e-9 * max(1, abs(Double(factor)))
        return remainder < tolerance || abs(remainder - abs(Double(factor))) < tolerance
    }
}

extension Int: SchemaNumber {}
extension Int32: SchemaNumber {}
extension Int64: SchemaNumber {}
extension Double: SchemaNumber {}
extension Float: SchemaNumber {}
