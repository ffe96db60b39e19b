/// `minLength`, `maxLength`, `pattern` and `format` of a string schema.
///
/// Lengths count Unicode scalars, as Python's `len` and JSON Schema do, not grapheme clusters.
public struct StringRules: Constraint {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: Pattern?
    public var format: StringFormat?

    @inlinable
    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: Pattern? = nil, format: StringFormat? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
    }

    public func check(_ value: String, input: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) {
        if let issue = self.issue(value) {
            errors.record(issue, at: location, input: input)
        }
    }

    /// The first rule `value` breaks, in pydantic's order (length, then pattern), then format.
    public func issue(_ value: String) -> ValidationIssue? {
        if self.minLength != nil || self.maxLength != nil {
            let bytes = value.utf8.count
            // UTF-8 takes 1 to 4 bytes per scalar: most strings are settled without counting.
            if let minLength, bytes < minLength || (bytes < minLength * 4 && value.unicodeScalars.count < minLength) {
                return .stringTooShort(minimum: minLength)
            }
            if let maxLength, bytes > maxLength, value.unicodeScalars.count > maxLength {
                return .stringTooLong(maximum: maxLength)
            }
        }
        if let pattern, !pattern.matches(value) {
            return .stringPatternMismatch(pattern.source)
        }
        if let format {
            return format.issue(value)
        }
        return nil
    }
}
