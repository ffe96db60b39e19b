/// Bounds that keep hostile input from exhausting the stack, memory or time.
public struct ParseLimits: Sendable {
    /// Deeper nesting than any real API description needs; past it the file is rejected.
    public var maxDepth = 512
    /// How many nodes the document may stand for once every alias is expanded.
    public var maxExpandedNodes: UInt64 = 5_000_000

    public init() {}
}
