/// Loads an OpenAPI document and every file its `$ref`s reach, then checks what only the
/// whole document can show: reference loops, path templates, duplicate operation ids.
public struct SpecLoader: Sendable {
    public var limits: ParseLimits
    public var files: SourceFiles
    public init(limits: ParseLimits = ParseLimits(), files: SourceFiles = .fileSystem()) {
        self.limits = limits
        self.files = files
    }

    public func load(path: String) -> LoadedSpec {
        let absolute = path.hasPrefix("/") ? SourceFiles.normalise(path) : SourceFiles.absolutePath(path)
        let decoder = DocumentDecoder(limits: limits, fileSystem: files)
        // Diagnostics name the file as the user did, so editors can jump to them.
        let location = SourceLocation(file: path, line: 1, column: 1)
        var document: OpenAPIDocument?
        if let file = decoder.fileID(for: absolute, at: location), file >= 0 {
            if let root = decoder.files[Int(file)].root {
                document = decoder.document(NodeID(file: file, node: root))
                decoder.resolvePending()
            } else if !decoder.diagnostics.hasErrors {
                decoder.diagnostics.error("the document is empty", at: SourceLocation(file: absolute, line: 1, column: 1))
            }
        }
        if let document {
            DocumentChecks(decoder: decoder, document: document).run()
        }
        var diagnostics = DiagnosticLog()
        for entry in decoder.diagnostics.entries {
            var entry = entry
            if entry.location.file == absolute { entry.location.file = path }
            diagnostics.append(entry)
        }
        return LoadedSpec(
            document: document, references: decoder.table, diagnostics: diagnostics,
            trees: decoder.files, nodeCount: decoder.files.reduce(0) { $0 + $1.nodeCount })
    }
}
