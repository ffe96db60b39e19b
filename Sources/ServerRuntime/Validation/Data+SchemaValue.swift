#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `format: byte`: base64 text on the wire, bytes in Swift.
extension Data: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Data? {
        guard case .string(let text) = value else {
            errors.record(.stringType, at: location, input: value)
            return nil
        }
        if let data = Data(base64Encoded: text) { return data }
        errors.record(
            ValidationIssue(type: "value_error", message: "Value error, Input should be valid base64"), at: location, input: value)
        return nil
    }
}
