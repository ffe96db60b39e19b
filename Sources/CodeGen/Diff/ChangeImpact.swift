/// What a change does to one side of the contract.
public enum ChangeImpact: String, Sendable, Comparable, CaseIterable {
    /// Nothing that worked before stops working.
    case info
    /// It may stop working, and no rule can tell from the documents alone (a pattern rewritten,
    /// a field the server now ignores).
    case warning
    /// Something that worked before stops working.
    case breaking

    public static func < (lhs: ChangeImpact, rhs: ChangeImpact) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Which way a value travels, which decides who a narrowed or widened schema hurts.
public enum DataFlow: String, Sendable {
    /// Parameters, request bodies and a webhook's answers: the client writes, the server reads.
    case toServer
    /// Responses and webhook deliveries: the server writes (often from what it stored), the client reads.
    case toClient
}

/// How a schema change moves the set of values a schema accepts.
public enum SchemaEffect: String, Sendable {
    /// Fewer values: a value valid before may be refused now.
    case narrowing
    /// More values: a reader may get a value it never had to handle.
    case widening
    /// Different values: both at once.
    case incompatible
    /// Perhaps different, perhaps not (a pattern rewritten): a warning for whoever it could hurt.
    case uncertain
    /// The same values.
    case neutral

    /// Narrowing what clients send refuses some of their requests; narrowing what the server
    /// sends refuses values it stored or has in flight under the old contract; widening what
    /// the server sends gives clients values they cannot read.
    public func impacts(for flow: DataFlow) -> (client: ChangeImpact, server: ChangeImpact) {
        switch (self, flow) {
        case (.narrowing, .toServer): (.breaking, .info)
        case (.narrowing, .toClient): (.info, .breaking)
        case (.widening, .toServer): (.info, .info)
        case (.widening, .toClient): (.breaking, .info)
        case (.incompatible, .toServer): (.breaking, .info)
        case (.incompatible, .toClient): (.breaking, .breaking)
        case (.uncertain, .toServer): (.warning, .info)
        case (.uncertain, .toClient): (.warning, .warning)
        case (.neutral, _): (.info, .info)
        }
    }
}
