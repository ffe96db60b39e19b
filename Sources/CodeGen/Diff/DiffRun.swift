import OpenAPI

/// `specgen diff` as a function: the arguments in, what to print and the exit status out, so
/// tests run the command without a process.
public struct DiffRun: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, markdown
    }

    /// What the command prints and how it exits: 0 when nothing breaks, 1 when something does,
    /// 2 when a document cannot be compared (invalid, or a revision that does not exist).
    public struct Outcome: Sendable {
        public var output = ""
        public var errors: [String] = []
        public var exitCode: Int32 = 0
        public var report: DiffReport?
        /// The loaded documents and their models, kept so a command that exits next need not
        /// free them (for a large document, freeing costs a good part of loading).
        public var documents: [LoadedSpec] = []
        public var models: [APIModel] = []
    }

    public var old: SpecSource
    public var new: SpecSource
    /// The file `git:REF` means when the new document is not a file.
    public var specPath: String
    public var format: Format
    public var options: DiffOptions
    public var loader: SpecLoader

    public init(
        old: SpecSource, new: SpecSource, specPath: String, format: Format = .text, options: DiffOptions = DiffOptions(),
        loader: SpecLoader = SpecLoader()
    ) {
        self.old = old
        self.new = new
        self.specPath = specPath
        self.format = format
        self.options = options
        self.loader = loader
    }

    /// A document loaded and, when it has no errors, its comparison model.
    private static func loadAndBuild(
        _ source: SpecSource, specPath: String, loader: SpecLoader
    ) -> (Result<(spec: LoadedSpec, name: String), SpecSource.LoadError>, APIModel?) {
        let result = source.load(specPath: specPath, loader: loader)
        guard case .success(let document) = result, !document.spec.hasErrors else { return (result, nil) }
        return (result, APIModel.buildForComparison(from: document.spec))
    }

    public func run() -> Outcome {
        var outcome = Outcome()
        let gitPath: String
        if case .file(let path) = new { gitPath = path } else { gitPath = specPath }
        // Each document is loaded and its model built on a core of its own: one after the
        // other, a load parsed on both cores but decoded and built on one, leaving the other idle.
        let loader = self.loader
        let oldSource = old
        let oldSide = Background { Self.loadAndBuild(oldSource, specPath: gitPath, loader: loader) }
        let newSide = Self.loadAndBuild(new, specPath: gitPath, loader: loader)
        var documents: [(spec: LoadedSpec, name: String)] = []
        var models: [APIModel] = []
        for (result, model) in [oldSide.value, newSide] {
            switch result {
            case .failure(let error):
                outcome.errors.append("specgen: error: \(error)")
                outcome.exitCode = 2
            case .success(let document):
                if document.spec.hasErrors {
                    for diagnostic in document.spec.diagnostics.sorted { outcome.errors.append(diagnostic.description) }
                    let count = document.spec.diagnostics.errorCount
                    outcome.errors.append("\(document.name): \(count) error\(count == 1 ? "" : "s"); not compared")
                    outcome.exitCode = 2
                }
                documents.append(document)
            }
            if let model { models.append(model) }
        }
        outcome.documents = documents.map(\.spec)
        outcome.models = models
        guard outcome.exitCode == 0, documents.count == 2, models.count == 2 else { return outcome }
        let (oldModel, newModel) = (models[0], models[1])
        let report = SpecDiff.compare(
            old: documents[0].spec, oldModel: oldModel, new: documents[1].spec, newModel: newModel, oldName: documents[0].name,
            newName: documents[1].name, options: options)
        outcome.report = report
        switch format {
        case .text:
            outcome.output = report.compilerText + report.summary + "\n"
        case .json:
            outcome.output = report.json
            outcome.errors.append(report.summary)
        case .markdown:
            outcome.output = report.markdown
            outcome.errors.append(report.summary)
        }
        outcome.exitCode = report.hasBreakingChanges ? 1 : 0
        return outcome
    }
}
