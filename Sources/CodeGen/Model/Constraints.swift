import OpenAPI

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
    /// `allowedValues` as the JSON values the schema wrote (`42`, not `"42"`), for emitters
    /// that spell them as literal types (TypeScript's `const`); set whenever `allowedValues` is.
    public var literals: [JSONValue]?
    /// Constraints on each item of an array.
    public var items: Box<Constraints>?
    /// An array's `prefixItems` (a tuple: each position its own type) or `items: false`; the
    /// array's element type then holds every position (any JSON value when they differ).
    public var tuple: Box<TupleShape>?

    public init() {}

    public var isEmpty: Bool { self == Constraints() }

    /// The types of tuple elements these constraints hold, at any depth (a tuple inside the items
    /// of an array, a tuple position that is itself a tuple): the validator reads each element
    /// as one, so their named types need validators too.
    public var tupleElementTypes: [TypeRef] {
        var found: [TypeRef] = []
        var pending = [self]
        while let next = pending.popLast() {
            if let items = next.items { pending.append(items.value) }
            if let tuple = next.tuple?.value {
                found += tuple.elementTypes
                pending += tuple.positions.map(\.constraints) + [tuple.restConstraints]
            }
        }
        return found
    }
}

/// JSON Schema 2020-12's tuple: `prefixItems` types the first positions one by one, `items`
/// the rest (`items: false`: there is no rest).
public struct TupleShape: Hashable, Sendable {
    public struct Position: Hashable, Sendable {
        public var type: TypeRef
        public var constraints: Constraints
    }

    public var positions: [Position]
    /// The type of the elements after the positions; `nil` when `items: false` allows none.
    public var rest: TypeRef?
    public var restConstraints = Constraints()
    /// How many positions must be present (`minItems`): the others may be left off the end.
    public var requiredCount = 0

    /// The types of the positions and the rest: a validator reads each element as one of them.
    public var elementTypes: [TypeRef] { positions.map(\.type) + (rest.map { [$0] } ?? []) }
}

/// Gives a value type a stored property of its own type.
public final class Box<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value

    public init(_ value: Value) { self.value = value }

    public static func == (lhs: Box, rhs: Box) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension Constraints {
    /// These constraints where they are stated, `base`'s elsewhere: a use site of a named alias
    /// (`Name: {type: string, maxLength: 5}`) keeps the alias's rules and may tighten them.
    public func merged(over base: Constraints) -> Constraints {
        var result = base
        result.minLength = minLength ?? base.minLength
        result.maxLength = maxLength ?? base.maxLength
        result.pattern = pattern ?? base.pattern
        result.format = format ?? base.format
        result.minimum = minimum ?? base.minimum
        result.maximum = maximum ?? base.maximum
        result.exclusiveMinimum = exclusiveMinimum ?? base.exclusiveMinimum
        result.exclusiveMaximum = exclusiveMaximum ?? base.exclusiveMaximum
        result.multipleOf = multipleOf ?? base.multipleOf
        result.minItems = minItems ?? base.minItems
        result.maxItems = maxItems ?? base.maxItems
        result.uniqueItems = uniqueItems || base.uniqueItems
        result.minProperties = minProperties ?? base.minProperties
        result.maxProperties = maxProperties ?? base.maxProperties
        result.allowedValues = allowedValues ?? base.allowedValues
        result.literals = literals ?? base.literals
        result.tuple = tuple ?? base.tuple
        switch (items, base.items) {
        case (let own?, let inherited?): result.items = Box(own.value.merged(over: inherited.value))
        case (let own?, nil): result.items = own
        default: break
        }
        return result
    }
}
