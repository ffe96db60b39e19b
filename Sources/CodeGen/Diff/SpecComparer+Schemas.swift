import OpenAPI

extension SpecComparer {
    /// Compares two schemas where `context` says they are used. Keywords are compared on the
    /// views (references followed, `allOf` merged); properties, items, additional properties and
    /// union variants recursively, each pair of resolved schemas once per flow.
    func compareSchemas(_ oldSchema: Schema, _ newSchema: Schema, _ context: SchemaContext) {
        // The pair is checked before the views are built: a shared component is reached from
        // many places and compared once.
        compareResolved(
            old.references.resolve(oldSchema), new.references.resolve(newSchema), context,
            nullable: (acceptsNull(oldSchema, in: old), acceptsNull(newSchema, in: new)))
    }

    /// Whether `null` is a value where `schema` is used, as the model decides it.
    func acceptsNull(_ schema: Schema, in spec: LoadedSpec) -> Bool {
        SchemaRules.acceptsNull(schema, references: spec.references)
    }

    /// `compareSchemas` for schemas whose references are followed already; `nullable` says
    /// whether each use accepts `null`.
    func compareResolved(_ oldResolved: Schema, _ newResolved: Schema, _ context: SchemaContext, nullable: (old: Bool, new: Bool)) {
        let pair = Pair(old: ObjectIdentifier(oldResolved), new: ObjectIdentifier(newResolved), flow: context.flow)
        guard visited.insert(pair).inserted else { return }
        let before = SchemaView(resolved: oldResolved, references: old.references)
        let after = SchemaView(resolved: newResolved, references: new.references)
        trialPairs?.append(pair)
        let at = after.location

        if nullable.old != nullable.new {
            if nullable.new {
                report("nullable-added", .widening, context, "now accepts null", at: at)
            } else {
                report("nullable-removed", .narrowing, context, "no longer accepts null", at: at)
            }
        }
        if before.types != after.types {
            let widened = Self.accepts(after.types, before.types)
            let narrowed = Self.accepts(before.types, after.types)
            let detail = "type changed from \(before.typeDescription) to \(after.typeDescription)"
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
        compareFormats(before, after, context)
        compareEnums(before, after, context)
        compareBounds(before, after, context)
        if context.flow == .toServer, let value = before.defaultValue, let newValue = after.defaultValue, value != newValue {
            report(
                "default-changed", .uncertain, context,
                "default changed from \(value.jsonText) to \(newValue.jsonText): a client leaving it out gets another value",
                at: at)
        }
        compareProperties(before, after, context)
        compareAdditionalProperties(before, after, context)
        if let oldItems = before.items, let newItems = after.items {
            compareSchemas(oldItems, newItems, context.appending(suffix: "[]"))
        }
        compareVariants(before, after, context)
        compareDiscriminators(before, after, context)
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

    private func compareFormats(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
        guard before.format != after.format else { return }
        let detail = "format changed from \(before.format ?? "none") to \(after.format ?? "none")"
        switch (before.format, after.format) {
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

    private func compareEnums(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
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

    private func compareBounds(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
        let at = after.location
        compareBound(.upper, "maxLength", "max-length", before.maxLength, after.maxLength, context, at: at)
        compareBound(.lower, "minLength", "min-length", before.minLength, after.minLength, context, at: at)
        compareBound(.upper, "maximum", "maximum", before.maximum, after.maximum, context, at: at)
        compareBound(.lower, "minimum", "minimum", before.minimum, after.minimum, context, at: at)
        compareBound(.upper, "exclusiveMaximum", "exclusive-maximum", before.exclusiveMaximum, after.exclusiveMaximum, context, at: at)
        compareBound(.lower, "exclusiveMinimum", "exclusive-minimum", before.exclusiveMinimum, after.exclusiveMinimum, context, at: at)
        compareBound(.upper, "maxItems", "max-items", before.maxItems, after.maxItems, context, at: at)
        compareBound(.lower, "minItems", "min-items", before.minItems, after.minItems, context, at: at)
        compareBound(.upper, "maxProperties", "max-properties", before.maxProperties, after.maxProperties, context, at: at)
        compareBound(.lower, "minProperties", "min-properties", before.minProperties, after.minProperties, context, at: at)
        if before.pattern != after.pattern {
            switch (before.pattern, after.pattern) {
            case (nil, let pattern?): report("pattern-added", .narrowing, context, "pattern \(pattern) added", at: at)
            case (let pattern?, nil): report("pattern-removed", .widening, context, "pattern \(pattern) removed", at: at)
            case (let from?, let to?):
                report("pattern-changed", .uncertain, context, "pattern changed from \(from) to \(to)", at: at)
            case (nil, nil): break
            }
        }
        if before.multipleOf != after.multipleOf {
            let detail =
                "multipleOf changed from \(before.multipleOf.map { "\($0)" } ?? "none") to \(after.multipleOf.map { "\($0)" } ?? "none")"
            switch (before.multipleOf, after.multipleOf) {
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
        if before.uniqueItems != after.uniqueItems {
            if after.uniqueItems {
                report("unique-items-added", .narrowing, context, "items must now be unique", at: at)
            } else {
                report("unique-items-removed", .widening, context, "items need no longer be unique", at: at)
            }
        }
    }

    private func compareProperties(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
        guard !before.properties.isEmpty || !after.properties.isEmpty else { return }
        let flow = context.flow
        // A read-only property is never in a request, a write-only one never in a response.
        func absent(_ schema: Schema) -> Bool { flow == .toServer ? schema.readOnly : schema.writeOnly }
        for (name, oldProperty) in before.properties {
            let oldResolved = old.references.resolve(oldProperty)
            let wasRequired = before.effectivelyRequired(name, resolved: oldResolved, flow: flow)
            guard let newProperty = after.properties[name] else {
                if absent(oldResolved) { continue }
                let propertyContext = context.appending(property: name)
                // A deprecated field may go once its sunset date (if it names one) has passed:
                // clients were told to stop using it.
                if oldProperty.deprecated || oldResolved.deprecated {
                    let sunset = Sunset.date(in: oldProperty.extensions) ?? Sunset.date(in: oldResolved.extensions)
                    if let sunset, sunset > options.today {
                        report(
                            property: "property-removed-before-sunset", flow == .toServer ? .incompatible : .widening,
                            propertyContext, "deprecated property removed before its sunset date \(sunset)",
                            at: oldProperty.location)
                    } else {
                        let when = sunset.map { " (sunset \($0) passed)" } ?? ""
                        report(
                            property: "deprecated-property-removed", .neutral, propertyContext, "deprecated property removed\(when)",
                            at: oldProperty.location)
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
                        at: oldProperty.location)
                case .toClient:
                    report(property: rule, .widening, propertyContext, detail, at: oldProperty.location)
                }
                continue
            }
            let newResolved = new.references.resolve(newProperty)
            let isRequired = after.effectivelyRequired(name, resolved: newResolved, flow: flow)
            let propertyContext = context.appending(property: name)
            if !wasRequired, isRequired {
                report(property: "property-became-required", .narrowing, propertyContext, "became required", at: newProperty.location)
            } else if wasRequired, !isRequired {
                report(property: "property-became-optional", .widening, propertyContext, "became optional", at: newProperty.location)
            }
            if flow == .toServer, !oldResolved.readOnly, newResolved.readOnly {
                report(
                    property: "property-became-read-only", .uncertain, propertyContext,
                    "became read-only: the server ignores what clients send", at: newProperty.location)
            }
            if flow == .toClient, !oldResolved.writeOnly, newResolved.writeOnly {
                report(
                    property: "property-became-write-only", .neutral, propertyContext, "became write-only: responses leave it out",
                    at: newProperty.location)
            }
            if !oldResolved.deprecated, newResolved.deprecated {
                report(property: "property-deprecated", .neutral, propertyContext, "deprecated", at: newProperty.location)
            }
            compareResolved(
                oldResolved, newResolved, propertyContext,
                nullable: (acceptsNull(oldProperty, in: old), acceptsNull(newProperty, in: new)))
        }
        for (name, newProperty) in after.properties where before.properties[name] == nil {
            let resolved = new.references.resolve(newProperty)
            if absent(resolved) { continue }
            let propertyContext = context.appending(property: name)
            if after.effectivelyRequired(name, resolved: resolved, flow: flow) {
                report(
                    property: "required-property-added", .narrowing, propertyContext, "required property added", at: newProperty.location)
            } else {
                report(property: "optional-property-added", .neutral, propertyContext, "optional property added", at: newProperty.location)
            }
        }
    }

    private func compareAdditionalProperties(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
        func closed(_ value: Schema.AdditionalProperties?) -> Bool {
            if case .allowed(false)? = value { return true }
            return false
        }
        if !closed(before.additionalProperties), closed(after.additionalProperties) {
            report(
                "additional-properties-closed", .narrowing, context, "no longer allows properties it does not declare",
                at: after.location)
        } else if closed(before.additionalProperties), !closed(after.additionalProperties) {
            report("additional-properties-opened", .neutral, context, "now allows undeclared properties", at: after.location)
        }
        switch (before.additionalProperties, after.additionalProperties) {
        case (.schema(let oldSchema)?, .schema(let newSchema)?):
            compareSchemas(oldSchema, newSchema, context.appending(suffix: context.path.isEmpty ? "*" : ".*"))
        case (.schema?, nil), (.schema?, .allowed(true)?):
            report(
                "additional-properties-widened", .widening, context,
                "undeclared properties may now hold any value, not only what additionalProperties said", at: after.location)
        case (nil, .schema?), (.allowed(true)?, .schema?):
            report(
                "additional-properties-narrowed", .narrowing, context,
                "undeclared properties must now match additionalProperties", at: after.location)
        default: break
        }
    }

    /// `oneOf`/`anyOf` branches, matched by the component they name, then by shape, then in order.
    private func compareVariants(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
        guard let oldVariants = before.variants, let newVariants = after.variants else { return }
        let keyword = after.variantsAreAnyOf ? "anyOf" : "oneOf"
        var pairs: [(Int, Int)] = []
        var unmatchedOld = Array(oldVariants.indices)
        var unmatchedNew = Array(newVariants.indices)
        for index in unmatchedOld {
            guard let name = oldVariants[index].ref?.name,
                let match = unmatchedNew.first(where: { newVariants[$0].ref?.name == name })
            else { continue }
            pairs.append((index, match))
        }
        unmatchedOld.removeAll { index in pairs.contains { $0.0 == index } }
        unmatchedNew.removeAll { index in pairs.contains { $0.1 == index } }
        // Branches left on both sides are matched by shape (the same position tried first), so a
        // reordered union is no change; one branch left on each side is simply compared.
        var equal: Set<Int> = []
        if unmatchedOld.count > 1 || unmatchedNew.count > 1 {
            for index in unmatchedOld {
                let variantContext = context.appending(property: "\(keyword)[\(index)]")
                let candidates = unmatchedNew.filter { $0 == index } + unmatchedNew.filter { $0 != index }
                guard let match = candidates.first(where: { !differ(oldVariants[index], newVariants[$0], variantContext) })
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
            report(
                "variant-removed", .narrowing, context, "\(keyword)[\(index)] removed",
                at: oldVariants[index].location)
        }
        for index in unmatchedNew {
            report(
                "variant-added", .widening, context, "\(keyword)[\(index)] added", at: newVariants[index].location)
        }
        for (oldIndex, newIndex) in pairs.sorted(by: { $0.1 < $1.1 }) where !equal.contains(newIndex) {
            compareSchemas(oldVariants[oldIndex], newVariants[newIndex], context.appending(property: "\(keyword)[\(newIndex)]"))
        }
    }

    /// The values that select a variant, as the model decides them (explicit mapping, else the
    /// variant's own `const`/`enum` value, else the schema name); a discriminator beside no
    /// union (the base of an `allOf` hierarchy) has only its explicit mapping.
    private func discriminatorValues(
        _ discriminator: Schema.Discriminator, _ view: SchemaView, in spec: LoadedSpec
    ) -> [String] {
        guard let variants = view.variants, !variants.isEmpty else { return Array(discriminator.mapping.keys) }
        var seen: Set<String> = []
        return variants.flatMap {
            DiscriminatorValues.values(for: $0, discriminator: discriminator, references: spec.references)
        }.filter { seen.insert($0).inserted }
    }

    private func compareDiscriminators(_ before: SchemaView, _ after: SchemaView, _ context: SchemaContext) {
        switch (before.discriminator, after.discriminator) {
        case (nil, nil): return
        case (nil, let added?):
            report(
                "discriminator-added", .uncertain, context, "discriminator '\(added.propertyName)' added", at: added.location)
        case (let removed?, nil):
            report(
                "discriminator-removed", .uncertain, context, "discriminator '\(removed.propertyName)' removed",
                at: after.location)
        case (let from?, let to?):
            if from.propertyName != to.propertyName {
                report(
                    "discriminator-property-changed", .incompatible, context,
                    "discriminator changed from '\(from.propertyName)' to '\(to.propertyName)'", at: to.location)
                return
            }
            let oldValues = discriminatorValues(from, before, in: old)
            let newValues = discriminatorValues(to, after, in: new)
            let removed = oldValues.filter { !newValues.contains($0) }
            let added = newValues.filter { !oldValues.contains($0) }
            if !removed.isEmpty {
                report(
                    "discriminator-mapping-removed", .narrowing, context,
                    "discriminator value \(removed.joined(separator: ", ")) removed", at: to.location)
            }
            if !added.isEmpty {
                report(
                    "discriminator-mapping-added", .widening, context,
                    "discriminator value \(added.joined(separator: ", ")) added", at: to.location)
            }
        }
    }
}
