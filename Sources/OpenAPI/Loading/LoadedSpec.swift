/// The result of loading a document: the model, every `$ref` target, and what was found wrong.
public struct LoadedSpec: Sendable {
    /// `nil` when the document could not be read as OpenAPI at all.
    public var document: OpenAPIDocument?
    public var references: ReferenceTable
    public var diagnostics: DiagnosticLog
    /// Every file read, the entry file first.
    public var files: [String] { trees.map(\.file) }
    /// The parsed files, the entry file first, for tools that work on the raw document (bundling).
    public var trees: [NodeTree]
    /// Nodes across all files, a measure of the document's size.
    public var nodeCount: Int

    public var hasErrors: Bool { diagnostics.hasErrors }

    /// The path items of `paths`, references followed, in document order.
    public var pathItems: [(path: String, item: PathItem)] {
        guard let document else { return [] }
        return document.paths.compactMap { path, item in references.resolve(item).map { (path, $0) } }
    }

    public var operationCount: Int { pathItems.reduce(0) { $0 + $1.item.operations.count } }
}
