/// A check on a decoded value, as a schema states it (lengths, bounds, pattern, format, items).
///
/// Generated code builds constraints as `static let`s of the concrete rule types and passes them
/// generically, so checks are specialised and a valid value costs a few comparisons.
public protocol Constraint<Value>: Sendable {
    associatedtype Value
    /// Records what is wrong with `value` (at most one issue, as pydantic reports one per
    /// field); `input` is the value as received, echoed in the error.
    func check(_ value: Value, input: JSONValue, at location: FieldLocation, errors: inout ValidationErrors)
}
