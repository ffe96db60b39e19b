import OpenAPI

/// Compares the models of two documents (`APIModel.buildForComparison`), the same reading of
/// JSON Schema the generated code comes from: operations matched by method and path template
/// (a renamed path parameter is the same path), their parameters, bodies, responses, security
/// and callbacks, and the types under them structurally, so a component renamed or moved is no
/// change.
final class SpecComparer {
    let old: APIModel
    let new: APIModel
    /// The models' named types, read apart from the models (see `APIModel.typeTable`).
    let oldTypes: TypeTable
    let newTypes: TypeTable
    /// Which old and new types say the same thing: their bodies need no comparing.
    var equivalence: TypeEquivalence
    let options: DiffOptions
    private(set) var changes: [SpecChange] = []

    /// What was compared already, by the two named types and the flow: recursion stops at a
    /// pair it is inside (a cycle) or has finished (a shared type, whose changes are reported
    /// once, at the first operation that reaches it). A use of a named type (`body`: false)
    /// is keyed with its nullability on each side, its body (`body`: true) alone.
    struct Pair: Hashable {
        /// Offsets in the models' `types` (names cost a string hash each time).
        var old: Int
        var new: Int
        var flow: DataFlow
        var body: Bool
        var oldNullable = false
        var newNullable = false
    }
    var visited: Set<Pair> = []
    /// The pairs a trial comparison (`differ`) added to `visited`, taken out again when it ends.
    var trialPairs: [Pair]?

    init(old: APIModel, new: APIModel, options: DiffOptions) {
        self.old = old
        self.new = new
        oldTypes = old.typeTable
        newTypes = new.typeTable
        equivalence = TypeEquivalence(old: oldTypes, new: newTypes)
        self.options = options
    }

    func report(_ rule: DiffRule, _ operation: String?, _ message: String, at location: SourceLocation) {
        changes.append(SpecChange(rule: rule, operation: operation, message: message, location: location))
    }

    /// A schema rule's change: `name` under the context's prefix, classified by `effect`.
    func report(_ name: String, _ effect: SchemaEffect, _ context: SchemaContext, _ detail: String, at location: SourceLocation) {
        let rule = DiffRule(context.prefix, name, effect, flow: context.flow)
        report(rule, context.operation, "\(context.place): \(detail)", at: location)
    }

    /// A property rule: `name` after the context's side (`response-required-property-removed`).
    func report(property name: String, _ effect: SchemaEffect, _ context: SchemaContext, _ detail: String, at location: SourceLocation) {
        let rule = DiffRule(context.side, name, effect, flow: context.flow)
        report(rule, context.operation, "\(context.place): \(detail)", at: location)
    }

    /// Marks `pair` compared; false when it was already.
    func visit(_ pair: Pair) -> Bool {
        guard visited.insert(pair).inserted else { return false }
        trialPairs?.append(pair)
        return true
    }

    /// Whether comparing the two values finds anything, leaving no trace (for matching union
    /// variants by shape).
    func differ(_ before: ValueUse, _ after: ValueUse, _ context: SchemaContext) -> Bool {
        let savedChanges = changes.count
        let outerTrial = trialPairs
        trialPairs = []
        compareValues(before, after, context)
        for pair in trialPairs ?? [] { visited.remove(pair) }
        trialPairs = outerTrial
        let found = changes.count > savedChanges
        changes.removeSubrange(savedChanges...)
        return found
    }

    func run() -> [SpecChange] {
        compareSecuritySchemes()
        compareOperations(
            Self.entries(old.operations + old.additionalOperations, webhook: false),
            Self.entries(new.operations + new.additionalOperations, webhook: false))
        compareOperations(Self.entries(old.webhooks, webhook: true), Self.entries(new.webhooks, webhook: true))
        return changes
    }
}
