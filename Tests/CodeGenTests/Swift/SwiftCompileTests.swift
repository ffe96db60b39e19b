import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// Compiles what the Swift emitter writes against `ServerRuntime`: the example spec, the golden
/// fixture, the small public documents of the shared corpus and, under `SPECGEN_CORPUS_FULL=1`
/// (`make test-corpus`), the large ones. A document with `x-db-table` schemas (the example, and
/// the tables fixture that stresses the repository emitter) gets its `Database/` compiled too,
/// as a target `Database_<name>` over the document's `API_<name>` and `Postgres`.
///
/// One scratch SwiftPM package in a temporary folder depends on this repository by path and has
/// one target per document (`API_<name>`, path `<name>/Swift`), so a single `swift build`
/// compiles them all and builds `ServerRuntime` and Hummingbird once. Its build folder is
/// `<repo>/.build/corpus-compile`, kept between runs so only the generated targets are rebuilt;
/// the generated sources are written fresh every run. A compiler error, or a warning in a
/// generated file, fails the test. A missing `swift` or corpus fails it too.
@Suite(.serialized) struct SwiftCompileTests {
    /// The small documents compiled on every run.
    static let smallCorpus = [
        "oai-3.2-tags-example.yaml", "oai-api-with-examples.yaml", "oai-callback-example.yaml", "oai-link-example.yaml",
        "oai-non-oauth-scopes.yaml", "oai-petstore-expanded.yaml", "oai-petstore.yaml", "oai-tictactoe.yaml",
        "oai-uspto.yaml", "oai-webhook-example.yaml", "cloud-hypervisor.yaml", "fastapi-template-openapi.json",
    ]

    /// The large documents, compiled under `SPECGEN_CORPUS_FULL=1`.
    static let fullCorpus = [
        "discourse.yml", "box.json", "digitalocean/DigitalOcean-public.v2.yaml", "stripe-spec3.yaml",
    ]

    /// `<repo>/.build/corpus-compile`: the scratch package's `--scratch-path`.
    static let buildFolder = SwiftTestSupport.repository.appendingPathComponent(".build/corpus-compile")

    /// Seconds `swift build` may take: `SPECGEN_SWIFT_BUILD_TIMEOUT`, else an hour (four with
    /// the full corpus: Stripe alone is a lot of Swift).
    static var timeout: Double {
        if let text = ProcessInfo.processInfo.environment["SPECGEN_SWIFT_BUILD_TIMEOUT"], let seconds = Double(text) {
            return seconds
        }
        return SwiftTestSupport.checksFullCorpus ? 4 * 3600 : 3600
    }

    struct Document {
        /// How failures name it: a path relative to the repository or the corpus.
        var label: String
        var url: URL
        /// The folder and target suffix in the scratch package.
        var name: String
    }

    /// The documents to compile; a missing corpus document is recorded as a failure.
    static func documents() -> [Document] {
        var documents = [
            Document(label: "Tests/CodeGenTests/SQL/Fixtures/example-app.yaml", url: SwiftTestSupport.exampleSpec, name: "example"),
            Document(label: "Tests/CodeGenTests/Swift/Fixtures/golden.yaml", url: SwiftTestSupport.goldenFixture, name: "golden"),
            Document(
                label: "Tests/CodeGenTests/Database/Fixtures/tables.yaml",
                url: SwiftTestSupport.repository.appendingPathComponent("Tests/CodeGenTests/Database/Fixtures/tables.yaml"),
                name: "tables"),
        ]
        let corpus = SwiftTestSupport.corpus
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isFolder), isFolder.boolValue else {
            Issue.record(
                """
                The shared corpus folder \(corpus.path) does not exist, so the Swift generated for the corpus \
                documents cannot be compiled. Put the corpus at <repo>/../shared/corpus or set SPECGEN_CORPUS to its folder.
                """)
            return documents
        }
        let names = smallCorpus + (SwiftTestSupport.checksFullCorpus ? fullCorpus : [])
        for file in names {
            let url = corpus.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                Issue.record("corpus document \(url.path) is missing (set SPECGEN_CORPUS to the corpus folder)")
                continue
            }
            documents.append(Document(label: "corpus/\(file)", url: url, name: targetName(file)))
        }
        return documents
    }

    /// `digitalocean/DigitalOcean-public.v2.yaml` → `digitalocean_DigitalOcean_public_v2`.
    static func targetName(_ file: String) -> String {
        let stem = file.split(separator: ".").count > 1 ? String(file[..<file.lastIndex(of: ".")!]) : file
        return String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    @Test func generatedSwiftCompilesAgainstServerRuntime() async throws {
        guard let swift = Self.swiftExecutable() else { return }
        let package = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
            .appendingPathComponent("specgen-swift-compile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        var keepPackage = true
        defer { if !keepPackage { try? FileManager.default.removeItem(at: package) } }

        // Generate every document's Swift into its target folder.
        var report: [String] = []
        var targets: [String] = []
        var databaseTargets: [String] = []
        var totalBytes = 0
        var totalFiles = 0
        let generationStart = Date()
        for document in Self.documents() {
            let start = Date()
            let spec = SwiftTestSupport.load(document.url)
            guard spec.document != nil, !spec.hasErrors else {
                Issue.record("\(document.label) does not load: \(spec.diagnostics.entries.prefix(5))")
                continue
            }
            let files = SwiftTestSupport.emittedSwift(spec)
            guard !files.isEmpty else {
                Issue.record("\(document.label) generated no Swift")
                continue
            }
            let folder = package.appendingPathComponent("\(document.name)/Swift")
            try SwiftTestSupport.replaceSwiftFiles(in: folder, with: files)
            let model = APIModel.build(from: spec)
            if !model.tables.isEmpty {
                // The repositories import the document's API module, named `API_<name>` here.
                var database: [String: String] = [:]
                for file in DatabaseEmitter().emit(model).files {
                    let name = String(file.path.dropFirst("Database/".count))
                    database[name] = file.contents.replacingOccurrences(of: "\nimport API\n", with: "\nimport API_\(document.name)\n")
                }
                try SwiftTestSupport.replaceSwiftFiles(in: package.appendingPathComponent("\(document.name)/Database"), with: database)
                databaseTargets.append(document.name)
            }
            let bytes = files.values.reduce(0) { $0 + $1.utf8.count }
            totalBytes += bytes
            totalFiles += files.count
            targets.append(document.name)
            report.append(
                "\(document.label): \(files.count) files, \(bytes / 1024) KiB, load+emit \(SwiftTestSupport.format(Date().timeIntervalSince(start)))s"
            )
        }
        let generationSeconds = Date().timeIntervalSince(generationStart)
        try #require(!targets.isEmpty, "nothing to compile")

        try Self.manifest(targets: targets, databaseTargets: databaseTargets).write(
            to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: Self.buildFolder, withIntermediateDirectories: true)
        // The pins of the last run (or of the repository) spare a resolution over the network.
        let savedPins = Self.buildFolder.appendingPathComponent("Package.resolved")
        let repositoryPins = SwiftTestSupport.repository.appendingPathComponent("Package.resolved")
        for pins in [savedPins, repositoryPins] where FileManager.default.fileExists(atPath: pins.path) {
            try FileManager.default.copyItem(at: pins, to: package.appendingPathComponent("Package.resolved"))
            break
        }

        let log = package.appendingPathComponent("build.log")
        let result = try await SwiftTestSupport.run(
            swift, ["build", "--package-path", package.path, "--scratch-path", Self.buildFolder.path],
            in: package, log: log, timeout: Self.timeout)
        let diagnostics = BuildDiagnostics(result.output, generatedRoot: package)

        print(
            """
            Swift compile check: \(targets.count) documents, \(totalFiles) files, \(totalBytes / 1024) KiB of Swift, \
            generated in \(SwiftTestSupport.format(generationSeconds))s, swift build \(SwiftTestSupport.format(result.seconds))s \
            (exit \(result.status)\(result.timedOut ? ", timed out" : "")); warnings in generated files: \
            \(diagnostics.generatedWarnings.count), elsewhere: \(diagnostics.otherWarningCount)
              \(report.joined(separator: "\n  "))
            """)

        if result.timedOut {
            Issue.record(
                "swift build of the generated Swift did not finish in \(Int(Self.timeout))s (SPECGEN_SWIFT_BUILD_TIMEOUT); log: \(log.path)\n\(Self.tail(result.output))"
            )
            return
        }
        if result.status != 0 {
            let errors = diagnostics.errors
            let shown = errors.prefix(12).map { $0.text }.joined(separator: "\n")
            let byDocument = Dictionary(grouping: errors.compactMap { $0.document }, by: { $0 })
                .map { "\($0.key) (\($0.value.count))" }.sorted().joined(separator: ", ")
            Issue.record(
                """
                swift build rejects the generated Swift (exit \(result.status)). \
                \(errors.isEmpty ? "" : "Errors: \(errors.count), in documents: \(byDocument.isEmpty ? "none (see below)" : byDocument).")
                Scratch package kept at \(package.path); full log: \(log.path)
                \(errors.isEmpty ? Self.tail(result.output) : shown)
                """)
        }
        if !diagnostics.generatedWarnings.isEmpty {
            let byDocument = Dictionary(grouping: diagnostics.generatedWarnings.compactMap { $0.document }, by: { $0 })
                .map { "\($0.key) (\($0.value.count))" }.sorted().joined(separator: ", ")
            Issue.record(
                """
                swift build warns about the generated Swift: \(diagnostics.generatedWarnings.count) warnings, in \
                documents: \(byDocument). Scratch package kept at \(package.path); full log: \(log.path)
                \(diagnostics.generatedWarnings.prefix(12).map { $0.text }.joined(separator: "\n"))
                """)
        }
        guard result.status == 0, diagnostics.generatedWarnings.isEmpty else { return }
        // Kept for the next run: the same pins, no resolution.
        let pins = package.appendingPathComponent("Package.resolved")
        if FileManager.default.fileExists(atPath: pins.path) {
            try? FileManager.default.removeItem(at: savedPins)
            try? FileManager.default.copyItem(at: pins, to: savedPins)
        }
        keepPackage = false
    }

    /// The log reader finds errors and warnings in `swift build`'s format and tells generated
    /// files from others, so the check above cannot pass by not seeing them.
    @Test func buildLogDiagnosticsAreFound() {
        let log = """
            Building for debugging...
            warning: 'main': found 11 file(s) which are unhandled; explicitly declare them as resources or exclude from the target
            [4/5] Compiling API_golden Types.swift
            /tmp/specgen-swift-compile-X/golden/Swift/Types.swift:2:9: warning: initialization of immutable value 'unused' was never used [#no-usage]
            1 | func f() {
            2 |     let unused = 1
              |         `- warning: initialization of immutable value 'unused' was never used [#no-usage]
            3 | }
            [5/5] Compiling API_oai_petstore PetsAPI.swift
            /tmp/specgen-swift-compile-X/oai_petstore/Swift/PetsAPI.swift:3:18: error: cannot convert value of type 'String' to specified type 'Int'
            3 |     let y: Int = "a"
              |                  `- error: cannot convert value of type 'String' to specified type 'Int'
            /tmp/specgen-swift-compile-X/golden/Swift/Types.swift:2:9: warning: initialization of immutable value 'unused' was never used [#no-usage]
            /work/main/Sources/ServerRuntime/JSON/JSONValue.swift:10:5: warning: var 'x' was never mutated
            error: fatalError
            """
        let diagnostics = BuildDiagnostics(log, generatedRoot: URL(fileURLWithPath: "/tmp/specgen-swift-compile-X"))
        #expect(diagnostics.errors.map(\.document) == ["oai_petstore"])
        #expect(diagnostics.errors.first?.text.contains("`- error: cannot convert") == true)
        #expect(diagnostics.generatedWarnings.map(\.document) == ["golden"])
        #expect(diagnostics.generatedWarnings.first?.text.split(separator: "\n").count == 5)
        #expect(diagnostics.otherWarningCount == 1)
    }

    /// `swift` on `PATH` (the toolchain `swift test` runs from); its absence fails the test.
    static func swiftExecutable(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> URL? {
        if let swift = SwiftTestSupport.executable("swift") { return swift }
        Issue.record(
            "swift was not found on PATH: the generated Swift cannot be compiled. Put the toolchain's bin folder on PATH.",
            sourceLocation: sourceLocation)
        return nil
    }

    /// The scratch package: one library target per document, each depending on `ServerRuntime`
    /// of this repository. A path dependency's identity is the last component of its path, so
    /// the product is named by that, whatever folder the repository was cloned into.
    static func manifest(targets: [String], databaseTargets: [String] = []) -> String {
        let repository = SwiftTestSupport.repository.path
        let identity = SwiftTestSupport.repository.lastPathComponent
        func literal(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let targetLines = targets.map { name in
            "        .target(name: \(literal("API_" + name)), dependencies: [.product(name: \"ServerRuntime\", package: \(literal(identity)))], path: \(literal(name + "/Swift"))),"
        }
        let databaseLines = databaseTargets.map { name in
            "        .target(name: \(literal("Database_" + name)), dependencies: [\(literal("API_" + name)), "
                + ".product(name: \"Postgres\", package: \(literal(identity))), .product(name: \"ServerRuntime\", package: \(literal(identity)))], "
                + "path: \(literal(name + "/Database"))),"
        }
        return """
            // swift-tools-version:6.0
            // Written by SwiftCompileTests: the Swift specgen generates, one target per document.
            import PackageDescription

            let package = Package(
                name: "GeneratedSwiftCompileCheck",
                platforms: [.macOS(.v14)],
                dependencies: [
                    .package(path: \(literal(repository))),
                ],
                targets: [
            \((targetLines + databaseLines).joined(separator: "\n"))
                ]
            )

            """
    }

    static func tail(_ output: String, lines: Int = 60) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// The compiler's diagnostics in a `swift build` log: each `file:line:column: error|warning:`
/// line with the source excerpt printed under it.
struct BuildDiagnostics {
    struct Entry {
        var severity: String
        /// The document folder of a generated file (`oai_petstore`), nil for other files.
        var document: String?
        /// `file:line:column: severity: message`, then the excerpt.
        var text: String
    }

    var errors: [Entry] = []
    var generatedWarnings: [Entry] = []
    var otherWarningCount = 0

    init(_ output: String, generatedRoot: URL) {
        let root = generatedRoot.path + "/"
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var seen: Set<String> = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard let (file, severity) = Self.parse(line) else { continue }
            // The excerpt: lines up to the next diagnostic or progress line.
            var text = [line]
            while index < lines.count, Self.parse(lines[index]) == nil, !lines[index].hasPrefix("["),
                !lines[index].hasPrefix("error:"), !lines[index].hasPrefix("warning:"), text.count < 16
            {
                text.append(lines[index])
                index += 1
            }
            guard seen.insert(line).inserted else { continue }
            let document = file.hasPrefix(root) ? file.dropFirst(root.count).split(separator: "/").first.map(String.init) : nil
            // Generated lines can be thousands of characters long; the excerpt keeps their start.
            let shortened = text.map { $0.count > 300 ? String($0.prefix(300)) + "…" : $0 }
            let entry = Entry(severity: severity, document: document, text: shortened.joined(separator: "\n"))
            switch severity {
            case "error": errors.append(entry)
            case "warning":
                if document != nil { generatedWarnings.append(entry) } else { otherWarningCount += 1 }
            default: break
            }
        }
    }

    /// The file and severity of a `file:line:column: severity: message` line.
    static func parse(_ line: String) -> (String, String)? {
        for severity in ["error", "warning"] {
            guard let range = line.range(of: ": \(severity): ") else { continue }
            let location = line[..<range.lowerBound].split(separator: ":")
            guard location.count >= 3, Int(location[location.count - 1]) != nil, Int(location[location.count - 2]) != nil
            else { continue }
            return (location.dropLast(2).joined(separator: ":"), severity)
        }
        return nil
    }
}
