/// How one position of a tuple (`prefixItems`), or each element after them, is checked: the
/// value is read as its schema's type and then held to the schema's rules. The array itself is
/// `[JSONValue]`, since its positions have different types.
public struct PositionRule: Sendable {
    private let check: @Sendable (JSONValue, FieldLocation, inout ValidationErrors) -> Void

    /// A value of `type`; `null` too when `nullable`.
    public init<T: SchemaValue>(_ type: T.Type, nullable: Bool = false) {
        check = { value, location, errors in
            if nullable, value == .null { return }
            _ = T.decode(value, at: location, errors: &errors)
        }
    }

    /// A value of `type` that `rules` accept; `null` too when `nullable`.
    public init<T: SchemaValue, Rules: Constraint<T>>(_ type: T.Type, nullable: Bool = false, rules: Rules) {
        check = { value, location, errors in
            if nullable, value == .null { return }
            guard let decoded = T.decode(value, at: location, errors: &errors) else { return }
            rules.check(decoded, input: value, at: location, errors: &errors)
        }
    }

    func check(_ value: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) {
        check(value, location, &errors)
    }
}
