import OpenAPI

/// Whether a named type of the old model and one of the new say exactly the same thing,
/// whatever they are called: the same contract (properties, rules, values, variants), with
/// types that say the same thing in the same places, all the way down (a bisimulation: a cycle
/// of types is equal when nothing along it differs). Comparing two such types can find nothing,
/// so `specgen diff` skips them: between two versions of a large document most types are
/// unchanged, and walking them was most of the comparison. Answers are remembered, and each
/// check stops at the first difference.
struct TypeEquivalence {
    let old: TypeTable
    let new: TypeTable
    private var known: [Int: Bool] = [:]

    init(old: TypeTable, new: TypeTable) {
        self.old = old
        self.new = new
    }

    private func key(_ oldOffset: Int, _ newOffset: Int) -> Int { oldOffset << 32 | newOffset }

    /// Whether the old type at `oldOffset` and the new one at `newOffset` say the same thing.
    mutating func same(_ oldOffset: Int, _ newOffset: Int) -> Bool {
        if let answer = known[key(oldOffset, newOffset)] { return answer }
        // Every pair reached is assumed equal while it is checked; if none differs, all are. When
        // one differs, so does every pair on the way to it (each needs it equal): they are
        // remembered too, as the comparison asks about them next.
        var assumed: Set<Int> = []
        var reachedFrom: [Int: Int] = [:]
        var pending = [(key(oldOffset, newOffset), oldOffset, newOffset)]
        var pairs: [(Int, Int)] = []
        while let (pairKey, a, b) = pending.popLast() {
            if let answer = known[pairKey] {
                if answer { continue }
                markDifferent(from: pairKey, reachedFrom)
                return false
            }
            guard assumed.insert(pairKey).inserted else { continue }
            pairs.removeAll(keepingCapacity: true)
            guard sameOwnContract(a, b, &pairs) else {
                markDifferent(from: pairKey, reachedFrom)
                return false
            }
            for (x, y) in pairs {
                let childKey = key(x, y)
                if reachedFrom[childKey] == nil, !assumed.contains(childKey) { reachedFrom[childKey] = pairKey }
                pending.append((childKey, x, y))
            }
        }
        for pairKey in assumed { known[pairKey] = true }
        return true
    }

    /// Remembers the pair `pairKey` and every pair it was reached from as different.
    private mutating func markDifferent(from pairKey: Int, _ reachedFrom: [Int: Int]) {
        known[pairKey] = false
        var current = reachedFrom[pairKey]
        while let pair = current, known[pair] != false {
            known[pair] = false
            current = reachedFrom[pair]
        }
    }

    /// Whether two uses' types are the same shape with equivalent named types in the same places.
    mutating func same(_ before: TypeRef, _ after: TypeRef) -> Bool {
        var pairs: [(Int, Int)] = []
        guard sameShape(before, after, &pairs) else { return false }
        return pairs.allSatisfy { same($0.0, $0.1) }
    }

    /// The types' shapes agree, named types aside, which are collected as pairs to check.
    private func sameShape(_ before: TypeRef, _ after: TypeRef, _ pairs: inout [(Int, Int)]) -> Bool {
        switch (before, after) {
        case (.named(let oldName), .named(let newName)):
            guard let oldOffset = old.offset(of: oldName), let newOffset = new.offset(of: newName) else { return false }
            pairs.append((oldOffset, newOffset))
            return true
        case (.primitive(let a), .primitive(let b)): return a == b
        case (.any, .any): return true
        case (.array(let a), .array(let b)), (.dictionary(let a), .dictionary(let b)), (.nullable(let a), .nullable(let b)):
            return sameShape(a, b, &pairs)
        default: return false
        }
    }

    /// Equal rules, with no tuple (whose element types are named types the rules cannot pair).
    private func sameRules(_ a: Constraints, _ b: Constraints) -> Bool {
        a == b && a.tupleElementTypes.isEmpty
    }

    /// What the two types say themselves is the same (everything the comparison reads, nothing
    /// it does not: names, descriptions, locations); the named types they use are added to `pairs`.
    private func sameOwnContract(_ oldOffset: Int, _ newOffset: Int, _ pairs: inout [(Int, Int)]) -> Bool {
        guard old.types[oldOffset].deprecated == new.types[newOffset].deprecated,
            old.types[oldOffset].isOpenEnum == new.types[newOffset].isOpenEnum
        else { return false }
        switch (old.types[oldOffset].kind, new.types[newOffset].kind) {
        case (.object(let a), .object(let b)):
            guard a.properties.count == b.properties.count, a.closed == b.closed, a.declaresOpen == b.declaresOpen,
                a.minProperties == b.minProperties, a.maxProperties == b.maxProperties,
                a.forbiddenProperties == b.forbiddenProperties, a.compositions.count == b.compositions.count
            else { return false }
            // Fields read in place: copying each property (a dozen references) was most of the check.
            for index in a.properties.indices {
                guard a.properties[index].jsonName == b.properties[index].jsonName,
                    a.properties[index].required == b.properties[index].required,
                    a.properties[index].readOnly == b.properties[index].readOnly,
                    a.properties[index].writeOnly == b.properties[index].writeOnly,
                    a.properties[index].deprecated == b.properties[index].deprecated,
                    a.properties[index].sunset == b.properties[index].sunset,
                    a.properties[index].defaultValue == b.properties[index].defaultValue,
                    sameRules(a.properties[index].constraints, b.properties[index].constraints),
                    sameShape(a.properties[index].type, b.properties[index].type, &pairs)
                else { return false }
            }
            switch (a.additionalProperties, b.additionalProperties) {
            case (nil, nil): break
            case (let x?, let y?): guard sameShape(x, y, &pairs) else { return false }
            default: return false
            }
            for (x, y) in zip(a.compositions, b.compositions) {
                guard sameShape(x.type, y.type, &pairs) else { return false }
            }
            return true
        case (.stringEnum(let a), .stringEnum(let b)): return a == b
        case (.integerEnum(let a), .integerEnum(let b)): return a == b
        case (.union(let a), .union(let b)):
            guard a.variants.count == b.variants.count, a.discriminator == b.discriminator, a.isAnyOf == b.isAnyOf else {
                return false
            }
            for (v, w) in zip(a.variants, b.variants) {
                guard v.discriminatorValues == w.discriminatorValues, sameRules(v.constraints, w.constraints),
                    sameShape(v.type, w.type, &pairs)
                else { return false }
            }
            return true
        case (.alias(let a, let rulesA), .alias(let b, let rulesB)):
            return sameRules(rulesA, rulesB) && sameShape(a, b, &pairs)
        default:
            return false
        }
    }
}
