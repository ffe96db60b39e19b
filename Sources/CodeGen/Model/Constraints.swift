/// What a schema says about allowed values, kept where the value is used so routes can
/// validate input with FastAPI's messages.
public struct Constraints: Hashable, Sendable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    public var format: String?
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum: Double?
    public var exclusiveMaximum: Double?
    public var multipleOf: Double?
    public var minItems: Int?
    public var maxItems: Int?
    public var uniqueItems = false
    public var minProperties: Int?
    public var maxProperties: Int?
    /// Allowed values of an inline enum that was not hoisted (mixed or non-string members).
    public var allowedValues: [String]?
    /// Constraints on each item of an array.
    public var items: Box<Constraints>?

    public init() {}

    public var isEmpty: Bool { self == Constraints() }
}

/// Gives a value type a stored property of its own type.
public final class Box<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value

    public init(_ value: Value) { self.value = value }

    public static func == (lhs: Box, rhs: Box) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
