import OpenAPI

/// Compares two loaded documents: operations matched by method and path template (a renamed
/// path parameter is the same path), their parameters, bodies, responses and security, and
/// the schemas under them structurally, so a component renamed or moved is no change.
final class SpecComparer {
    let old: LoadedSpec
    let new: LoadedSpec
    let options: DiffOptions
    private(set) var changes: [SpecChange] = []

    /// Schema pairs already compared, by the identities of the two resolved schemas and the
    /// flow: recursion stops at a pair it is inside (a cycle) or has finished (a shared
    /// component, whose changes are reported once, at the first operation that reaches it).
    struct Pair: Hashable {
        var old: ObjectIdentifier
        var new: ObjectIdentifier
        var flow: DataFlow
    }
    var visited: Set<Pair> = []
    /// The pairs a trial comparison (`differ`) added to `visited`, taken out again when it ends.
    var trialPairs: [Pair]?
    /// How deep in callbacks of callbacks the comparison is.
    var callbackDepth = 0

    init(old: LoadedSpec, new: LoadedSpec, options: DiffOptions) {
        self.old = old
        self.new = new
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

    /// Whether comparing the two schemas finds anything, leaving no trace (for matching union
    /// variants by shape).
    func differ(_ oldSchema: Schema, _ newSchema: Schema, _ context: SchemaContext) -> Bool {
        let savedChanges = changes.count
        let outerTrial = trialPairs
        trialPairs = []
        compareSchemas(oldSchema, newSchema, context)
        for pair in trialPairs ?? [] { visited.remove(pair) }
        trialPairs = outerTrial
        let found = changes.count > savedChanges
        changes.removeSubrange(savedChanges...)
        return found
    }

    func run() -> [SpecChange] {
        guard let oldDocument = old.document, let newDocument = new.document else { return [] }
        compareSecuritySchemes(oldDocument, newDocument)
        compareOperations(
            Self.operations(of: old, in: oldDocument.paths, webhook: false),
            Self.operations(of: new, in: newDocument.paths, webhook: false),
            oldDocument: oldDocument, newDocument: newDocument)
        compareOperations(
            Self.operations(of: old, in: oldDocument.webhooks, webhook: true),
            Self.operations(of: new, in: newDocument.webhooks, webhook: true),
            oldDocument: oldDocument, newDocument: newDocument)
        return changes
    }
}
