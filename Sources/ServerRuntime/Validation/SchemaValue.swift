#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A Swift type that validation can produce from a `JSONValue`, with pydantic's rules and words.
///
/// Text (parameters, form fields: `location.isText`) is read in pydantic's lax mode, as FastAPI
/// reads it: `"3"` is a valid integer, `"yes"` a valid boolean. A JSON value must have the JSON
/// type its schema says, as JSON Schema has it: `1.0` is a valid integer, but `"3"` is not, and
/// neither `0` nor `"yes"` is a boolean; pydantic's lax mode would take them, so a request the
/// spec calls invalid would be served. `5` is never a valid string.
public protocol SchemaValue: Sendable {
    /// Converts `value`, or records why not and returns nil.
    static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Self?
    /// Whether this is a list: a form then gathers every value of a repeated key.
    static var isList: Bool { get }
}

extension SchemaValue {
    public static var isList: Bool { false }
}

extension String: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> String? {
        if case .string(let string) = value { return string }
        errors.record(.stringType, at: location, input: value)
        return nil
    }
}

extension Bool: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Bool? {
        switch value {
        case .bool(let bool): return bool
        case .string(let text) where location.isText:
            if let bool = Self.parse(text) { return bool }
            errors.record(.boolParsing, at: location, input: value)
        default:
            errors.record(.boolType, at: location, input: value)
        }
        return nil
    }

    /// FastAPI's words for true and false (any case): 1/0, true/false, t/f, yes/no, y/n, on/off.
    public static func parse(_ text: String) -> Bool? {
        switch text.utf8.count {
        case 1...5: break
        default: return nil
        }
        switch text.lowercased() {
        case "1", "true", "t", "yes", "y", "on": return true
        case "0", "false", "f", "no", "n", "off": return false
        default: return nil
        }
    }
}

extension SchemaValue where Self: FixedWidthInteger {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Self? {
        switch value {
        case .integer(let integer):
            if let exact = Self(exactly: integer) { return exact }
            errors.record(.intParsingSize, at: location, input: value)
        case .double(let double):
            if double.rounded(.towardZero) != double || !double.isFinite {
                errors.record(.intFromFloat, at: location, input: value)
            } else if let exact = Self(exactly: double) {
                return exact
            } else {
                errors.record(.intParsingSize, at: location, input: value)
            }
        case .string(let text) where location.isText:
            switch IntegerText.parse(text, as: Self.self) {
            case .value(let integer): return integer
            case .tooLarge: errors.record(.intParsingSize, at: location, input: value)
            case .invalid: errors.record(.intParsing, at: location, input: value)
            }
        default:
            errors.record(.intType, at: location, input: value)
        }
        return nil
    }
}

extension Int: SchemaValue {}
extension Int32: SchemaValue {}
extension Int64: SchemaValue {}

extension SchemaValue where Self: BinaryFloatingPoint & LosslessStringConvertible {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Self? {
        switch value {
        case .integer(let integer): return Self(integer)
        case .double(let double): return Self(double)
        case .string(let text) where location.isText:
            var trimmed = text.trimmingASCIIWhitespace()
            if trimmed.utf8.contains(UInt8(ascii: "_")) { trimmed = trimmed.filter { $0 != "_" } }
            // Swift also reads hex floats (`0x1p3`), which Python does not.
            let isHex = trimmed.utf8.contains { $0 | 0x20 == UInt8(ascii: "x") }
            if !isHex, let number = Self(trimmed) ?? Self.special(trimmed.lowercased()) { return number }
            errors.record(.floatParsing, at: location, input: value)
        default:
            errors.record(.floatType, at: location, input: value)
        }
        return nil
    }

    private static func special(_ text: String) -> Self? {
        switch text {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return nil
        }
    }
}

extension Double: SchemaValue {}
extension Float: SchemaValue {}

extension UUID: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> UUID? {
        guard case .string(let text) = value else {
            errors.record(.uuidType, at: location, input: value)
            return nil
        }
        switch UUIDText.parse(text) {
        case .success(let uuid): return uuid
        case .failure(let failure):
            errors.record(.uuidParsing(failure.reason), at: location, input: value)
            return nil
        }
    }
}

extension Date: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Date? {
        switch value {
        case .string(let text):
            switch RFC3339.parseDateTime(text) {
            case .success(let date): return date
            case .failure(let failure): errors.record(.datetimeParsing(failure.reason), at: location, input: value)
            }
        // `format: date-time` is a string; pydantic's Unix times are not one.
        default: errors.record(.datetimeType, at: location, input: value)
        }
        return nil
    }
}

extension JSONValue: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> JSONValue? {
        value
    }
}

extension JSONObject: SchemaValue {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> JSONObject? {
        if case .object(let object) = value { return object }
        errors.record(.dictType, at: location, input: value)
        return nil
    }
}

extension Optional: SchemaValue where Wrapped: SchemaValue {
    /// `null` is a value here (an array of nullable items); absent fields are handled by the
    /// field readers.
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.decode(value, at: location, errors: &errors).map { .some($0) }
    }
}

extension Array: SchemaValue where Element: SchemaValue {
    public static var isList: Bool { true }

    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> [Element]? {
        guard case .array(let elements) = value else {
            errors.record(.listType, at: location, input: value)
            return nil
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        let before = errors.count
        for (index, element) in elements.enumerated() {
            if let decoded = Element.decode(element, at: location.appending(.index(index)), errors: &errors) {
                result.append(decoded)
            }
        }
        return errors.count == before ? result : nil
    }
}

extension Dictionary: SchemaValue where Key == String, Value: SchemaValue {
    /// `additionalProperties: <schema>`.
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> [String: Value]? {
        guard case .object(let object) = value else {
            errors.record(.dictType, at: location, input: value)
            return nil
        }
        var result: [String: Value] = [:]
        result.reserveCapacity(object.count)
        let before = errors.count
        for member in object.members {
            if let decoded = Value.decode(member.value, at: location.appending(.key(member.key)), errors: &errors) {
                result[member.key] = decoded
            }
        }
        return errors.count == before ? result : nil
    }
}

/// A string or integer enum of the spec: any `RawRepresentable & CaseIterable` whose raw value
/// is a `String` or an integer. A value outside the cases answers pydantic's `enum` error
/// listing them.
public protocol SchemaEnum: SchemaValue, RawRepresentable, CaseIterable where RawValue: SchemaValue & Hashable {}

extension SchemaEnum {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Self? {
        var scratch = ValidationErrors()
        if let raw = RawValue.decode(value, at: location, errors: &scratch), let match = Self(rawValue: raw) {
            return match
        }
        errors.record(.enumeration(expected: Self.expectedText), at: location, input: value)
        return nil
    }

    /// `'a' or 'b'`, `'a', 'b' or 'c'`; integers unquoted.
    public static var expectedText: String {
        let names = Self.allCases.map { value -> String in
            if let string = value.rawValue as? String { return "'\(string)'" }
            return "\(value.rawValue)"
        }
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

/// An object schema: generated models implement this initialiser, which validates every
/// property of `json` and builds the value in the same pass.
public protocol SchemaModel: SchemaValue {
    init?(json: JSONValue, at location: FieldLocation, errors: inout ValidationErrors)
}

extension SchemaModel {
    public static func decode(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) -> Self? {
        Self(json: value, at: location, errors: &errors)
    }
}

extension String {
    /// Python's `str.strip()` for the ASCII whitespace pydantic strips before parsing numbers.
    func trimmingASCIIWhitespace() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !Self.isASCIIWhitespace($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !Self.isASCIIWhitespace($0) })!
        if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return self }
        return String(self[first...last])
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
