/// `minItems`, `maxItems`, `uniqueItems` and the item constraint of an array schema, and a
/// tuple's rules: `prefixItems` position by position, `additionalItems` for the elements after.
public struct ArrayRules<Element>: Constraint {
    public var minItems: Int?
    public var maxItems: Int?
    public var uniqueItems: Bool
    public var items: (any Constraint<Element>)?
    public var prefixItems: [PositionRule?]
    public var additionalItems: PositionRule?

    public init(
        minItems: Int? = nil, maxItems: Int? = nil, uniqueItems: Bool = false, items: (any Constraint<Element>)? = nil,
        prefixItems: [PositionRule?] = [], additionalItems: PositionRule? = nil
    ) {
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
        self.items = items
        self.prefixItems = prefixItems
        self.additionalItems = additionalItems
    }

    public func check(_ value: [Element], input: JSONValue, at location: FieldLocation, errors: inout ValidationErrors) {
        let elements = input.arrayValue ?? []
        if !prefixItems.isEmpty || additionalItems != nil {
            for (index, element) in elements.enumerated() {
                let rule = index < prefixItems.count ? prefixItems[index] : additionalItems
                rule?.check(element, at: location.appending(.index(index)), errors: &errors)
            }
        }
        if let items {
            for (index, element) in value.enumerated() {
                items.check(
                    element, input: index < elements.count ? elements[index] : .null, at: location.appending(.index(index)), errors: &errors
                )
            }
        }
        if let minItems, value.count < minItems {
            errors.record(.tooShort(minimum: minItems, actual: value.count), at: location, input: input)
        } else if let maxItems, value.count > maxItems {
            errors.record(.tooLong(maximum: maxItems, actual: value.count), at: location, input: input)
        } else if self.uniqueItems, Set(elements).count != elements.count {
            // Uniqueness is judged on the JSON as received, which works for any element type.
            errors.record(.uniqueItems, at: location, input: input)
        }
    }
}
