/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` and `multipleOf` of a number or
/// integer schema.
public struct NumberRules<Value: SchemaNumber>: Constraint {
    public var minimum: Value?
    public var maximum: Value?
    public var exclusiveMinimum: Value?
    public var exclusiveMaximum: Value?
    public var multipleOf: Value?

    @inlinable
    public init(
        minimum: Value? = nil,
        maximum: Value? = nil,
        exclusiveMinimum: Value? = nil,
        exclusiveMaximum: Value? = nil,
        multipleOf: Value? = nil
    ) {
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.multipleOf = multipleOf
    }

    public func check(_ value: Value, input: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) {
        if let issue = self.issue(value) {
            errors.record(issue, at: location, input: input)
        }
    }

    /// The first bound `value` breaks, in pydantic-core's order.
    public func issue(_ value: Value) -> ValidationIssue? {
        if let multipleOf, !value.isSchemaMultiple(of: multipleOf) { return .multipleOf(multipleOf.jsonValue) }
        if let maximum, value > maximum { return .lessThanOrEqual(maximum.jsonValue) }
        if let exclusiveMaximum, value >= exclusiveMaximum { return .lessThan(exclusiveMaximum.jsonValue) }
        if let minimum, value < minimum { return .greaterThanOrEqual(minimum.jsonValue) }
        if let exclusiveMinimum, value <= exclusiveMinimum { return .greaterThan(exclusiveMinimum.jsonValue) }
        return nil
    }
}
