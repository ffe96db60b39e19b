import OpenAPI

extension SpecComparer {
    /// Compares two values where `context` says they are used. Keywords are compared on the
    /// views (aliases seen through); properties, items, additional properties and union variants
    /// recursively, each pair of named types once per flow.
    func compareValues(_ before: ValueUse, _ after: ValueUse, _ context: SchemaContext) {
        // The same value with no named type in it (most properties: a string, a list of
        // integers) and the same rules: nothing can differ.
        if before.constraints == after.constraints, before.constraints.tupleElementTypes.isEmpty,
            context.flow == .toClient || before.defaultValue == after.defaultValue
        {
            if before.type == after.type, !before.type.mentionsNamedType { return }
            // Named types that say the same thing, in the same places (most of two versions).
            if equivalence.same(before.type, after.type) { return }
        }
        let nullable = (old: before.type.isNullable, new: after.type.isNullable)
        // A plain use of a named type on both sides (the common case: a `$ref`) is compared once
        // per pair, flow and nullability: a shared component is reached from many places.
        if case .named(let oldName) = before.type.nonNull, case .named(let newName) = after.type.nonNull,
            let oldOffset = oldTypes.offset(of: oldName), let newOffset = newTypes.offset(of: newName),
            before.constraints.isEmpty, after.constraints.isEmpty, context.flow == .toClient || before.defaultValue == after.defaultValue
        {
            let use = Pair(
                old: oldOffset, new: newOffset, flow: context.flow, body: false, oldNullable: nullable.old, newNullable: nullable.new)
            guard visit(use) else { return }
        }
        let (oldType, oldConstraints) = oldTypes.resolvingAliases(before.type, before.constraints)
        let (newType, newConstraints) = newTypes.resolvingAliases(after.type, after.constraints)
        let previous = ValueView(oldType, oldConstraints, in: oldTypes, at: before.location)
        let current = ValueView(newType, newConstraints, in: newTypes, at: after.location)
        let at = current.location

        if nullable.old != nullable.new {
            if nullable.new {
                report("nullable-added", .widening, context, "now accepts null", at: at)
            } else {
                report("nullable-removed", .narrowing, context, "no longer accepts null", at: at)
            }
        }
        // Two unions are compared variant by variant.
        if previous.types != current.types, !(previous.hasVariants && current.hasVariants) {
            let widened = Self.accepts(current.types, previous.types)
            let narrowed = Self.accepts(previous.types, current.types)
            let detail = "type changed from \(previous.typeDescription) to \(current.typeDescription)"
            switch (widened, narrowed) {
            case (true, false): report("type-widened", .widening, context, detail, at: at)
            case (false, true): report("type-narrowed", .narrowing, context, detail, at: at)
            case (false, false):
                // Nothing below compares like with like any more.
                report("type-changed", .incompatible, context, detail, at: at)
                return
            case (true, true): break
            }
        }
        compareFormats(previous, current, context)
        compareEnums(previous, current, context)
        compareBounds(previous, current, context)
        if context.flow == .toServer, let value = before.defaultValue, let newValue = after.defaultValue, value != newValue {
            report(
                "default-changed", .uncertain, context,
                "default changed from \(value.jsonText) to \(newValue.jsonText): a client leaving it out gets another value",
                at: at)
        }
        // The body of a named type once per pair and flow; the parts above belong to each use.
        if let oldOffset = previous.typeOffset, let newOffset = current.typeOffset {
            guard visit(Pair(old: oldOffset, new: newOffset, flow: context.flow, body: true)) else { return }
        }
        compareProperties(previous, current, context)
        compareAdditionalProperties(previous, current, context)
        if let oldItems = previous.items, let newItems = current.items {
            compareValues(
                ValueUse(oldItems.type, oldItems.constraints, at: previous.location),
                ValueUse(newItems.type, newItems.constraints, at: current.location), context.appending(suffix: "[]"))
        }
        for (oldUnion, newUnion) in zip(previous.unions, current.unions) {
            compareVariants(oldUnion, newUnion, previous, current, context)
            compareDiscriminators(oldUnion, newUnion, current, context)
        }
    }

    /// Whether every value of types `narrow` is also of types `wide` (nil is any type; an
    /// integer is a number).
    static func accepts(_ wide: TypeSet?, _ narrow: TypeSet?) -> Bool {
        guard let wide else { return true }
        guard let narrow else { return false }
        return wide.accepts(narrow)
    }

    private static let rangeFormats: Set<String> = ["int64", "double"]
    private static let formatWidenings: Set<[String]> = [["int32", "int64"], ["float", "double"]]

    private func compareFormats(_ before: ValueView, _ after: ValueView, _ context: SchemaContext) {
        guard before.constraints.format != after.constraints.format else { return }
        let detail = "format changed from \(before.constraints.format ?? "none") to \(after.constraints.format ?? "none")"
        switch (before.constraints.format, after.constraints.format) {
        case (nil, let added?) where Self.rangeFormats.contains(added):
            // Naming the range every implementation already reads (a 64-bit integer, a double).
            report("format-added", .neutral, context, detail, at: after.location)
        case (nil, _): report("format-narrowed", .narrowing, context, detail, at: after.location)
        case (_, nil): report("format-widened", .widening, context, detail, at: after.location)
        case (let from?, let to?):
            if Self.formatWidenings.contains([from, to]) {
                report("format-widened", .widening, context, detail, at: after.location)
            } else if Self.formatWidenings.contains([to, from]) {
                report("format-narrowed", .narrowing, context, detail, at: after.location)
            } else {
                report("format-changed", .incompatible, context, detail, at: after.location)
            }
        }
    }

    private static func list(_ values: [JSONValue]) -> String {
        let shown = values.prefix(8).map(\.jsonText).joined(separator: ", ")
        return values.count > 8 ? shown + " and \(values.count - 8) more" : shown
    }

    private func compareEnums(_ before: ValueView, _ after: ValueView, _ context: SchemaContext) {
        let at = after.location
        switch (before.enumValues, after.enumValues) {
        case (nil, nil): return
        case (nil, let values?):
            report("enum-added", .narrowing, context, "now limited to \(Self.list(values))", at: at)
        case (_?, nil):
            report("enum-removed", .widening, context, "no longer limited to a list of values", at: at)
        case (let oldValues?, let newValues?):
            guard oldValues != newValues else { return }
            // Sets: an enum of every country or currency is compared often.
            let oldSet = Set(oldValues)
            let newSet = Set(newValues)
            let removed = oldValues.filter { !newSet.contains($0) }
            let added = newValues.filter { !oldSet.contains($0) }
            if !removed.isEmpty {
                report("enum-value-removed", .narrowing, context, "enum value \(Self.list(removed)) removed", at: at)
            }
            if !added.isEmpty {
                // An open enum (`x-enum-open: true`) keeps values it does not know: new ones break no reader.
                let open = before.isOpenEnum && after.isOpenEnum
                report(
                    open ? "open-enum-value-added" : "enum-value-added", open ? .neutral : .widening, context,
                    "enum value \(Self.list(added)) added", at: at)
            }
        }
    }

    /// Which way a bound narrows: an upper bound (`maxLength`) narrows when lowered or set, a
    /// lower bound (`minLength`) when raised or set.
    private enum BoundKind { case upper, lower }

    /// A bound's change: narrowing when it now admits less (see `BoundKind`), widening otherwise.
    /// The rule says which way the number moved (`max-length-decreased`, `min-length-increased`).
    private func compareBound<T: Comparable>(
        _ kind: BoundKind, _ keyword: String, _ name: String, _ before: T?, _ after: T?, _ context: SchemaContext,
        at location: SourceLocation
    ) {
        guard before != after else { return }
        let detail = "\(keyword) changed from \(before.map { "\($0)" } ?? "none") to \(after.map { "\($0)" } ?? "none")"
        let narrows: Bool
        switch (before, after) {
        case (nil, _?): narrows = true
        case (_?, nil): narrows = false
        case (let from?, let to?): narrows = kind == .upper ? to < from : to > from
        case (nil, nil): return
        }
        // Setting an upper bound or dropping a lower one reads as the number going down.
        let decreased = (kind == .upper) == narrows
        report("\(name)-\(decreased ? "decreased" : "increased")", narrows ? .narrowing : .widening, context, detail, at: location)
    }

    private func compareBounds(_ before: ValueView, _ after: ValueView, _ context: SchemaContext) {
        let at = after.location
        compareBound(.upper, "maxLength", "max-length", before.constraints.maxLength, after.constraints.maxLength, context, at: at)
        compareBound(.lower, "minLength", "min-length", before.constraints.minLength, after.constraints.minLength, context, at: at)
        compareBound(.upper, "maximum", "maximum", before.constraints.maximum, after.constraints.maximum, context, at: at)
        compareBound(.lower, "minimum", "minimum", before.constraints.minimum, after.constraints.minimum, context, at: at)
        compareBound(
            .upper, "exclusiveMaximum", "exclusive-maximum", before.constraints.exclusiveMaximum, after.constraints.exclusiveMaximum,
            context, at: at)
        compareBound(
            .lower, "exclusiveMinimum", "exclusive-minimum", before.constraints.exclusiveMinimum, after.constraints.exclusiveMinimum,
            context, at: at)
        compareBound(.upper, "maxItems", "max-items", before.constraints.maxItems, after.constraints.maxItems, context, at: at)
        compareBound(.lower, "minItems", "min-items", before.constraints.minItems, after.constraints.minItems, context, at: at)
        compareBound(
            .upper, "maxProperties", "max-properties", before.constraints.maxProperties, after.constraints.maxProperties, context, at: at)
        compareBound(
            .lower, "minProperties", "min-properties", before.constraints.minProperties, after.constraints.minProperties, context, at: at)
        if before.constraints.pattern != after.constraints.pattern {
            switch (before.constraints.pattern, after.constraints.pattern) {
            case (nil, let pattern?): report("pattern-added", .narrowing, context, "pattern \(pattern) added", at: at)
            case (let pattern?, nil): report("pattern-removed", .widening, context, "pattern \(pattern) removed", at: at)
            case (let from?, let to?):
                report("pattern-changed", .uncertain, context, "pattern changed from \(from) to \(to)", at: at)
            case (nil, nil): break
            }
        }
        if before.constraints.multipleOf != after.constraints.multipleOf {
            let detail =
                "multipleOf changed from \(before.constraints.multipleOf.map { "\($0)" } ?? "none") to \(after.constraints.multipleOf.map { "\($0)" } ?? "none")"
            switch (before.constraints.multipleOf, after.constraints.multipleOf) {
            case (nil, _): report("multiple-of-narrowed", .narrowing, context, detail, at: at)
            case (_, nil): report("multiple-of-widened", .widening, context, detail, at: at)
            case (let from?, let to?):
                let ratio = to / from
                if ratio == ratio.rounded() {
                    report("multiple-of-narrowed", .narrowing, context, detail, at: at)
                } else if (from / to) == (from / to).rounded() {
                    report("multiple-of-widened", .widening, context, detail, at: at)
                } else {
                    report("multiple-of-changed", .incompatible, context, detail, at: at)
                }
            }
        }
        if before.constraints.uniqueItems != after.constraints.uniqueItems {
            if after.constraints.uniqueItems {
                report("unique-items-added", .narrowing, context, "items must now be unique", at: at)
            } else {
                report("unique-items-removed", .widening, context, "items need no longer be unique", at: at)
            }
        }
    }

    private func compareProperties(_ before: ValueView, _ after: ValueView, _ context: SchemaContext) {
        guard !before.properties.isEmpty || !after.properties.isEmpty else { return }
        let flow = context.flow
        // A read-only property is never in a request, a write-only one never in a response.
        func absent(_ property: Property) -> Bool { flow == .toServer ? property.readOnly : property.writeOnly }
        // Properties are matched by position while both lists agree (the common case), by name
        // once they do not; offsets, not copies, as a property is a large value.
        var newOffsets: [String: Int]?
        func offset(of name: String, at position: Int) -> Int? {
            if newOffsets == nil, position < after.properties.count, after.properties[position].jsonName == name {
                return position
            }
            if newOffsets == nil {
                var offsets: [String: Int] = [:]
                offsets.reserveCapacity(after.properties.count)
                for (offset, property) in after.properties.enumerated() { offsets[property.jsonName] = offset }
                newOffsets = offsets
            }
            return newOffsets?[name]
        }
        var matched = 0
        for (position, oldProperty) in before.properties.enumerated() {
            let name = oldProperty.jsonName
            let wasRequired = ValueView.effectivelyRequired(oldProperty, flow: flow)
            let propertyContext = context.appending(property: name)
            let oldLocation = oldProperty.location ?? before.location
            guard let newOffset = offset(of: name, at: position) else {
                if absent(oldProperty) { continue }
                // A deprecated field may go once its sunset date (if it names one) has passed:
                // clients were told to stop using it.
                if oldProperty.deprecated || isDeprecatedType(oldProperty.type, in: oldTypes) {
                    if let sunset = oldProperty.sunset, sunset > options.today {
                        report(
                            property: "property-removed-before-sunset", flow == .toServer ? .incompatible : .widening,
                            propertyContext, "deprecated property removed before its sunset date \(sunset)", at: oldLocation)
                    } else {
                        let when = oldProperty.sunset.map { " (sunset \($0) passed)" } ?? ""
                        report(
                            property: "deprecated-property-removed", .neutral, propertyContext, "deprecated property removed\(when)",
                            at: oldLocation)
                    }
                    continue
                }
                // A renamed or dropped field: a client reading it gets nothing from now on, a
                // client sending it is ignored or refused (its value silently lost either way).
                let rule = wasRequired ? "required-property-removed" : "optional-property-removed"
                let detail = "\(wasRequired ? "required" : "optional") property removed"
                switch flow {
                case .toServer:
                    report(
                        property: rule, .incompatible, propertyContext, detail + ": the server ignores or refuses it now",
                        at: oldLocation)
                case .toClient:
                    report(property: rule, .widening, propertyContext, detail, at: oldLocation)
                }
                continue
            }
            matched += 1
            let newProperty = after.properties[newOffset]
            let isRequired = ValueView.effectivelyRequired(newProperty, flow: flow)
            let newLocation = newProperty.location ?? after.location
            if !wasRequired, isRequired {
                report(property: "property-became-required", .narrowing, propertyContext, "became required", at: newLocation)
            } else if wasRequired, !isRequired {
                report(property: "property-became-optional", .widening, propertyContext, "became optional", at: newLocation)
            }
            if flow == .toServer, !oldProperty.readOnly, newProperty.readOnly {
                report(
                    property: "property-became-read-only", .uncertain, propertyContext,
                    "became read-only: the server ignores what clients send", at: newLocation)
            }
            if flow == .toClient, !oldProperty.writeOnly, newProperty.writeOnly {
                report(
                    property: "property-became-write-only", .neutral, propertyContext, "became write-only: responses leave it out",
                    at: newLocation)
            }
            if !oldProperty.deprecated, newProperty.deprecated {
                report(property: "property-deprecated", .neutral, propertyContext, "deprecated", at: newLocation)
            }
            compareValues(
                ValueUse(oldProperty.type, oldProperty.constraints, defaultValue: oldProperty.defaultValue, at: oldLocation),
                ValueUse(newProperty.type, newProperty.constraints, defaultValue: newProperty.defaultValue, at: newLocation),
                propertyContext)
        }
        // Every new property matched an old one: none was added.
        guard matched < after.properties.count else { return }
        var oldNames: Set<String> = []
        for property in before.properties { oldNames.insert(property.jsonName) }
        for newProperty in after.properties where !oldNames.contains(newProperty.jsonName) {
            if absent(newProperty) { continue }
            let propertyContext = context.appending(property: newProperty.jsonName)
            let location = newProperty.location ?? after.location
            if ValueView.effectivelyRequired(newProperty, flow: flow) {
                report(property: "required-property-added", .narrowing, propertyContext, "required property added", at: location)
            } else {
                report(property: "optional-property-added", .neutral, propertyContext, "optional property added", at: location)
            }
        }
    }

    /// Whether `type` names a deprecated type (a `$ref` to a deprecated component).
    private func isDeprecatedType(_ type: TypeRef, in model: TypeTable) -> Bool {
        type.namedType.flatMap { model.offset(of: $0) }.map { model.types[$0].deprecated } ?? false
    }

    private func compareAdditionalProperties(_ before: ValueView, _ after: ValueView, _ context: SchemaContext) {
        let at = after.location
        switch (before.additional, after.additional) {
        case (.closed, .closed), (.unspecified, .unspecified): break
        case (_, .closed):
            report(
                "additional-properties-closed", .narrowing, context, "no longer allows properties it does not declare", at: at)
        case (.closed, _):
            report("additional-properties-opened", .neutral, context, "now allows undeclared properties", at: at)
        case (.values(let oldValues), .values(let newValues)):
            compareValues(
                ValueUse(oldValues, Constraints(), at: before.location), ValueUse(newValues, Constraints(), at: at),
                context.appending(suffix: context.isRoot ? "*" : ".*"))
        case (.values, .unspecified):
            report(
                "additional-properties-widened", .widening, context,
                "undeclared properties may now hold any value, not only what additionalProperties said", at: at)
        case (.unspecified, .values):
            report(
                "additional-properties-narrowed", .narrowing, context, "undeclared properties must now match additionalProperties",
                at: at)
        }
    }

    /// The component a variant names, for matching (`Cat` under `#/components/schemas/Cat`).
    private func componentName(_ variant: UnionShape.Variant, in model: TypeTable) -> Substring? {
        guard let offset = variant.type.namedType.flatMap({ model.offset(of: $0) }), let key = model.types[offset].componentKey
        else { return nil }
        return key.lastIndex(of: "/").map { key[key.index(after: $0)...] } ?? key[...]
    }

    private func use(_ variant: UnionShape.Variant, in model: TypeTable, union view: ValueView) -> ValueUse {
        let location = variant.type.namedType.flatMap { model.offset(of: $0) }.map { model.types[$0].location } ?? view.location
        return ValueUse(variant.type, variant.constraints, at: location)
    }

    /// `oneOf`/`anyOf` branches, matched by the component they name, then by shape, then in order.
    private func compareVariants(
        _ oldUnion: UnionShape, _ newUnion: UnionShape, _ before: ValueView, _ after: ValueView, _ context: SchemaContext
    ) {
        let oldVariants = oldUnion.variants.map { (use: use($0, in: oldTypes, union: before), name: componentName($0, in: oldTypes)) }
        let newVariants = newUnion.variants.map { (use: use($0, in: newTypes, union: after), name: componentName($0, in: newTypes)) }
        guard !oldVariants.isEmpty || !newVariants.isEmpty else { return }
        let keyword = newUnion.isAnyOf ? "anyOf" : "oneOf"
        var pairs: [(Int, Int)] = []
        var unmatchedOld = Array(oldVariants.indices)
        var unmatchedNew = Array(newVariants.indices)
        for index in unmatchedOld {
            guard let name = oldVariants[index].name,
                let match = unmatchedNew.first(where: { newVariants[$0].name == name })
            else { continue }
            pairs.append((index, match))
            unmatchedNew.removeAll { $0 == match }
        }
        unmatchedOld.removeAll { index in pairs.contains { $0.0 == index } }
        // Branches left on both sides are matched by shape (the same position tried first), so a
        // reordered union is no change; one branch left on each side is simply compared.
        var equal: Set<Int> = []
        if unmatchedOld.count > 1 || unmatchedNew.count > 1 {
            for index in unmatchedOld {
                let variantContext = context.appending(property: "\(keyword)[\(index)]")
                let candidates = unmatchedNew.filter { $0 == index } + unmatchedNew.filter { $0 != index }
                guard
                    let match = candidates.first(where: {
                        !differ(oldVariants[index].use, newVariants[$0].use, variantContext)
                    })
                else { continue }
                pairs.append((index, match))
                equal.insert(match)
                unmatchedNew.removeAll { $0 == match }
            }
            unmatchedOld.removeAll { index in pairs.contains { $0.0 == index } }
        }
        if unmatchedOld.count == unmatchedNew.count {
            pairs += zip(unmatchedOld, unmatchedNew).map { ($0, $1) }
            unmatchedOld = []
            unmatchedNew = []
        }
        for index in unmatchedOld {
            report("variant-removed", .narrowing, context, "\(keyword)[\(index)] removed", at: oldVariants[index].use.location)
        }
        for index in unmatchedNew {
            report("variant-added", .widening, context, "\(keyword)[\(index)] added", at: newVariants[index].use.location)
        }
        for (oldIndex, newIndex) in pairs.sorted(by: { $0.1 < $1.1 }) where !equal.contains(newIndex) {
            compareValues(oldVariants[oldIndex].use, newVariants[newIndex].use, context.appending(property: "\(keyword)[\(newIndex)]"))
        }
    }

    /// The values that select a variant, as the model decides them (explicit mapping, else the
    /// variant's own `const`/`enum` value, else the schema name).
    private static func discriminatorValues(_ union: UnionShape) -> [String] {
        var seen: Set<String> = []
        return union.variants.flatMap(\.discriminatorValues).filter { seen.insert($0).inserted }
    }

    private func compareDiscriminators(_ before: UnionShape, _ after: UnionShape, _ view: ValueView, _ context: SchemaContext) {
        let at = view.location
        switch (before.discriminator, after.discriminator) {
        case (nil, nil): return
        case (nil, let added?):
            report("discriminator-added", .uncertain, context, "discriminator '\(added)' added", at: at)
        case (let removed?, nil):
            report("discriminator-removed", .uncertain, context, "discriminator '\(removed)' removed", at: at)
        case (let from?, let to?):
            if from != to {
                report(
                    "discriminator-property-changed", .incompatible, context, "discriminator changed from '\(from)' to '\(to)'",
                    at: at)
                return
            }
            let oldValues = Self.discriminatorValues(before)
            let newValues = Self.discriminatorValues(after)
            let removed = oldValues.filter { !newValues.contains($0) }
            let added = newValues.filter { !oldValues.contains($0) }
            if !removed.isEmpty {
                report(
                    "discriminator-mapping-removed", .narrowing, context,
                    "discriminator value \(removed.joined(separator: ", ")) removed", at: at)
            }
            if !added.isEmpty {
                report(
                    "discriminator-mapping-added", .widening, context, "discriminator value \(added.joined(separator: ", ")) added",
                    at: at)
            }
        }
    }
}
