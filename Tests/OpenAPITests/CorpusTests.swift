import Foundation
import OpenAPI
import Testing

/// One line of the corpus manifest, or the reason the manifest could not be read.
struct CorpusEntry: Sendable, CustomTestStringConvertible {
    var file: String
    var paths: Int
    var operations: Int
    var schemas: Int
    /// Set when the corpus is missing or its manifest is malformed; the test then fails with it.
    var problem: String?

    var testDescription: String { problem == nil ? file : "corpus unavailable" }
}

/// The public OpenAPI documents of `shared/corpus`, found beside the repository
/// (`<repo>/../shared/corpus`) or wherever `SPECGEN_CORPUS` says.
enum Corpus {
    static var folder: URL {
        if let override = ProcessInfo.processInfo.environment["SPECGEN_CORPUS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return TestPaths.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }

    static let entries: [CorpusEntry] = readManifest()

    static func readManifest() -> [CorpusEntry] {
        let manifest = folder.appendingPathComponent("MANIFEST.tsv")
        func failure(_ problem: String) -> [CorpusEntry] {
            [CorpusEntry(file: "", paths: 0, operations: 0, schemas: 0, problem: problem)]
        }
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else {
            return failure(
                "the corpus manifest \(manifest.path) cannot be read: put the corpus at <repo>/../shared/corpus "
                    + "or set SPECGEN_CORPUS to its folder")
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first?.split(separator: "\t").map(String.init) else {
            return failure("\(manifest.path) is empty")
        }
        lines.removeFirst()
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let fileColumn = column("file"), let pathsColumn = column("paths"),
            let operationsColumn = column("operations"), let schemasColumn = column("schemas")
        else {
            return failure("\(manifest.path) lacks one of the columns file, paths, operations, schemas: \(header)")
        }
        var entries: [CorpusEntry] = []
        for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count, let paths = Int(fields[pathsColumn]),
                let operations = Int(fields[operationsColumn]), let schemas = Int(fields[schemasColumn])
            else {
                return failure("\(manifest.path) line \(number + 2) is malformed: \(line)")
            }
            entries.append(CorpusEntry(file: fields[fileColumn], paths: paths, operations: operations, schemas: schemas))
        }
        return entries.isEmpty ? failure("\(manifest.path) lists no documents") : entries
    }
}

@Suite("Corpus")
struct CorpusTests {
    @Test("the corpus is present")
    func corpusIsPresent() {
        let problems = Corpus.entries.compactMap(\.problem)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The multi-file document must be among them.
        #expect(Corpus.entries.contains { $0.file == "digitalocean/DigitalOcean-public.v2.yaml" })
    }

    @Test("each corpus document loads with the manifest's counts", arguments: Corpus.entries)
    func documentLoads(_ entry: CorpusEntry) {
        if let problem = entry.problem {
            Issue.record("\(problem)")
            return
        }
        let path = Corpus.folder.appendingPathComponent(entry.file).path
        let loaded = SpecLoader().load(path: path)
        expectNoErrors(loaded)
        let hasDocument = loaded.document != nil
        #expect(hasDocument, "\(entry.file) gave no document")
        let paths = loaded.pathItems.count
        let operations = loaded.operationCount
        let schemas = loaded.document?.components.schemas.count ?? -1
        #expect(paths == entry.paths, "paths of \(entry.file)")
        #expect(operations == entry.operations, "operations of \(entry.file)")
        #expect(schemas == entry.schemas, "component schemas of \(entry.file)")
    }
}
