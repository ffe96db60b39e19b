import Foundation
import OpenAPI
import Testing

/// One bad document of `BadDocuments/` and the diagnostic the loader must give for it.
struct BadDocumentCase: Sendable, CustomTestStringConvertible {
    var file: String
    var severity: Diagnostic.Severity
    var line: Int
    var column: Int
    var message: String
    /// False where the document rightly draws more than the one error under test.
    var onlyError = true

    var testDescription: String { file }
    var path: String { TestPaths.badDocuments.appendingPathComponent(file).path }
}

@Suite("Bad documents")
struct BadDocumentTests {
    static let cases: [BadDocumentCase] = [
        // Syntax.
        .init(file: "tab-indentation.yaml", severity: .error, line: 3, column: 1, message: "cannot start any token"),
        .init(
            file: "unclosed-quote.yaml", severity: .error, line: 6, column: 1,
            message: "end of stream while scanning a quoted scalar at line 4, column 12"),
        .init(
            file: "duplicate-key.yaml", severity: .error, line: 5, column: 3,
            message: "duplicate key 'title' (first defined at line 3, column 3)"),
        .init(
            file: "duplicate-key.json", severity: .error, line: 5, column: 3,
            message: "duplicate key 'info' (first defined at line 3, column 3)"),
        .init(file: "trailing-comma.json", severity: .error, line: 5, column: 1, message: "expected a string key"),
        .init(file: "single-quotes.json", severity: .error, line: 3, column: 22, message: "expected a value"),
        .init(file: "empty.yaml", severity: .error, line: 1, column: 1, message: "is empty"),
        .init(
            file: "undefined-alias.yaml", severity: .error, line: 6, column: 13,
            message: "alias '*nowhere' has no anchor '&nowhere' before it"),
        .init(
            file: "recursive-alias.yaml", severity: .error, line: 7, column: 5,
            message: "alias '*loop' refers to a node that contains it"),
        // Ten levels of ten aliases: the seventh level ('g', line 13) passes five million nodes.
        .init(file: "alias-bomb.yaml", severity: .error, line: 13, column: 6, message: "alias bomb"),
        // References.
        .init(
            file: "dangling-ref.yaml", severity: .error, line: 12, column: 17,
            message: "'#/components/schemas/User' does not resolve: 'User' is not in '#/components/schemas'"),
        .init(
            file: "dangling-file-ref.yaml", severity: .error, line: 9, column: 13,
            message: "BadDocuments/missing-file.yaml': no such file"),
        .init(
            file: "ref-loop.yaml", severity: .error, line: 11, column: 13,
            message: "reference loop: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
            onlyError: false),
        // Versions.
        .init(
            file: "openapi-4.yaml", severity: .error, line: 1, column: 10,
            message: "unsupported OpenAPI version '4.0.0'"),
        .init(file: "swagger-2.yaml", severity: .error, line: 1, column: 1, message: "Swagger 2.0 document"),
        // Values.
        .init(
            file: "required-yes-parameter.yaml", severity: .error, line: 11, column: 21,
            message: "'required' must be true or false, not 'yes' (YAML 1.1's 'yes' is a string"),
        .init(
            file: "required-yes-schema.yaml", severity: .error, line: 10, column: 17,
            message: "'required' must be a list of property names, not 'yes'"),
        // Whole-document rules.
        .init(file: "path-without-slash.yaml", severity: .error, line: 6, column: 3, message: "path 'items' must start with '/'"),
        .init(
            file: "undeclared-path-parameter.yaml", severity: .error, line: 8, column: 7,
            message: "GET /items/{id}: path parameter '{id}' is not declared"),
        .init(
            file: "duplicate-operation-id.yaml", severity: .error, line: 14, column: 7,
            message: "operationId 'listItems' is used twice (first at 8:7)"),
        .init(file: "bad-response-code.yaml", severity: .error, line: 9, column: 9, message: "'20' is not a response code"),
        .init(
            file: "unknown-security-scheme.yaml", severity: .error, line: 8, column: 7,
            message: "security requirement names 'oauth', which is not in components.securitySchemes"),
    ]

    /// Documents of the folder that must load without errors.
    static let goodDocuments = ["recursive-schema.yaml", "escaped-refs.yaml"]

    @Test("each bad document gives its diagnostic", arguments: cases)
    func diagnosticIsReported(_ bad: BadDocumentCase) {
        let loaded = SpecLoader().load(path: bad.path)
        guard expectDiagnostic(loaded, bad.severity, line: bad.line, column: bad.column, containing: bad.message) else {
            return
        }
        let diagnostic = loaded.diagnostics.entries.first { $0.message.contains(bad.message) }!
        // Diagnostics name the file as the caller did.
        #expect(diagnostic.location.file == bad.path)
        #expect(loaded.hasErrors)
        if bad.onlyError {
            #expect(loaded.errors.count == 1, "expected only the error under test:\n\(loaded.report)")
        }
    }

    @Test("every file in BadDocuments has a test")
    func everyFixtureIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.badDocuments.path)
        let covered = Set(Self.cases.map(\.file) + Self.goodDocuments)
        #expect(Set(files).subtracting(covered).sorted() == [])
        #expect(covered.subtracting(files).sorted() == [])
    }

    /// A loop of pure references is one problem; it must be reported once, not once per member.
    @Test
    func referenceLoopIsReportedOnce() {
        let loaded = SpecLoader().load(path: TestPaths.badDocuments.appendingPathComponent("ref-loop.yaml").path)
        let loops = loaded.errors.filter { $0.message.hasPrefix("reference loop:") }
        #expect(loops.count == 1, "\(loaded.report)")
    }

    @Test("a $ref that leads back into the object holding it is an error, not endless recursion")
    func referenceBackIntoItsOwnObject() {
        // Found by make fuzz-spec: the callbacks name the whole document, whose paths hold the
        // operation again.
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /streams:
                post:
                  responses: {'200': {description: ok}}
                  callbacks: {$ref: '#'}
            """)
        let loops = loaded.errors.filter { $0.message == "a '$ref' leads back into this object, which contains it" }
        #expect(loops.count == 1, "\(loaded.report)")
        #expect(loops.first?.location.line == 5, "\(loaded.report)")
    }

    @Test("a loop of three pure references is reported with the whole chain")
    func threeStepReferenceLoop() {
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths: {}
            components:
              schemas:
                A: {$ref: '#/components/schemas/B'}
                B: {$ref: '#/components/schemas/C'}
                C: {$ref: '#/components/schemas/A'}
            """)
        let loops = loaded.errors.filter { $0.message.hasPrefix("reference loop:") }
        #expect(!loops.isEmpty, "\(loaded.report)")
        for loop in loops {
            for name in ["A", "B", "C"] {
                #expect(loop.message.contains("#/components/schemas/\(name)"), "\(loop)")
            }
        }
        // And the table gives up on the chain instead of following it forever.
        let a = loaded.document!.components.schemas["A"]!
        #expect(loaded.references.resolve(a).isPureReference)
    }

    // MARK: Documents that must load

    @Test("a schema that refers to itself through its properties is not an error")
    func recursiveSchemaIsAllowed() throws {
        let loaded = SpecLoader().load(path: TestPaths.badDocuments.appendingPathComponent("recursive-schema.yaml").path)
        expectNoErrors(loaded)
        #expect(loaded.warnings.isEmpty, "\(loaded.report)")
        let node = try #require(loaded.document?.components.schemas["Node"])
        let parent = try #require(node.properties["parent"]?.ref)
        #expect(loaded.references.schema(parent) === node)
        let children = try #require(node.properties["children"]?.items?.ref)
        #expect(loaded.references.schema(children) === node)
    }

    @Test("references with ~0, ~1 and percent escapes resolve")
    func escapedReferencesResolve() throws {
        let loaded = SpecLoader().load(path: TestPaths.badDocuments.appendingPathComponent("escaped-refs.yaml").path)
        expectNoErrors(loaded)
        let items = try #require(loaded.pathItems.first { $0.path == "/items/{id}" }?.item)
        let parameter = try #require(items.operation(.get)?.parameters.first?.value)
        let ref = try #require(parameter.schema?.ref)
        #expect(ref.name == "a/b~c")
        let target = try #require(loaded.references.schema(ref))
        #expect(target.format == "uuid")
        #expect(target === loaded.document?.components.schemas["a/b~c"])

        let copies = try #require(loaded.pathItems.first { $0.path == "/copies/{id}" }?.item)
        let shared = try #require(copies.operation(.get)?.parameters.first)
        let sharedRef = try #require(shared.reference)
        #expect(sharedRef.pointer == "/paths/~1items~1{id}/get/parameters/0")
        let resolved = try #require(loaded.references.resolve(shared))
        #expect(resolved.name == "id")
        #expect(resolved.location == .path)
    }

    // MARK: Generated hostile input

    /// YAML's reader rejects the NUL byte; JSON's parser finds no value.
    @Test(
        "binary garbage is rejected at 1:1",
        arguments: [("garbage.yaml", "the file must be UTF-8 text"), ("garbage.json", "expected a value")])
    func binaryGarbage(_ name: String, _ message: String) throws {
        var bytes: [UInt8] = [0x00, 0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28, 0x0A, 0xDE, 0xAD, 0xBE, 0xEF, 0x7F]
        var state: UInt32 = 2_463_534_242
        for _ in 0..<4096 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            bytes.append(UInt8(truncatingIfNeeded: state))
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(name, bytes: bytes)
        let loaded = SpecLoader().load(path: path)
        #expect(loaded.document == nil)
        expectDiagnostic(loaded, .error, line: 1, column: 1, containing: message)
    }

    @Test("invalid UTF-8 after valid text is reported where it is")
    func invalidUTF8InYAML() {
        let bytes = Array("openapi: 3.1.0\ninfo: ".utf8) + [0xFF, 0xFE, 0x0A]
        let loaded = loadBytes(bytes, path: "/virtual/latin1.yaml")
        #expect(loaded.document == nil)
        expectDiagnostic(loaded, .error, line: 2, column: 7, containing: "UTF-8")
    }

    /// The bad byte is at 2:19; the parser steps back from the end of the string and names
    /// its closing quote (2:20) instead.
    @Test
    func invalidUTF8InJSON() {
        let bytes = Array("{\n  \"openapi\": \"3.1.".utf8) + [0xFF] + Array("\"\n}\n".utf8)
        let loaded = loadBytes(bytes, path: "/virtual/latin1.json")
        #expect(loaded.document == nil)
        expectDiagnostic(loaded, .error, line: 2, column: 19, containing: "UTF-8")
    }

    static let deepNesting: [(name: String, text: String)] = [
        ("deep.yaml", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        ("deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        ("deep-objects.json", String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)),
    ]

    @Test("100,000 levels of nesting stop at the depth limit", arguments: deepNesting.map(\.name))
    func deepNestingIsRejected(_ name: String) {
        let text = Self.deepNesting.first { $0.name == name }!.text
        let loaded = loadInMemory(text, path: "/virtual/\(name)")
        #expect(loaded.document == nil)
        // The 513th opening bracket is one level too many.
        let column = name == "deep-objects.json" ? 512 * 5 + 1 : 513
        expectDiagnostic(loaded, .error, line: 1, column: column, containing: "nesting is deeper than 512 levels")
    }

    @Test("nesting up to the depth limit loads", arguments: [2, 512])
    func nestingAtTheLimit(_ depth: Int) {
        // The document's mapping is the first level; the extension's lists make up the rest.
        let lists = depth - 1
        let text =
            "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}, \"x-deep\": "
            + String(repeating: "[", count: lists) + String(repeating: "]", count: lists) + "}"
        let loaded = loadInMemory(text, path: "/virtual/limit.json")
        expectNoErrors(loaded)
        var value = loaded.document?.extensions["x-deep"]
        var levels = 0
        while case .array(let items)? = value {
            levels += 1
            value = items.first
        }
        #expect(levels == lists)
    }

    @Test("one level past the depth limit is rejected")
    func nestingPastTheLimit() {
        let lists = 512
        let text =
            "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}, \"x-deep\": "
            + String(repeating: "[", count: lists) + String(repeating: "]", count: lists) + "}"
        let loaded = loadInMemory(text, path: "/virtual/past.json")
        #expect(loaded.errors.contains { $0.message.contains("nesting is deeper than 512 levels") }, "\(loaded.report)")
    }

    /// libyaml counts columns in characters; the JSON parser counts bytes. The same error must
    /// get the same column whichever syntax the document is written in.
    @Test
    func columnsCountCharactersInBothSyntaxes() {
        let yaml = loadInMemory("openapi: 3.1.0\ninfo: {title: \"ééé\", version: [1]}\npaths: {}\n", path: "/virtual/c.yaml")
        let json = loadInMemory(
            "{\"openapi\": \"3.1.0\",\n\"info\": {\"title\": \"ééé\", \"version\": [1]}, \"paths\": {}}\n",
            path: "/virtual/c.json")
        expectDiagnostic(yaml, .error, line: 2, column: 31, containing: "'info.version' must be a string")
        expectDiagnostic(json, .error, line: 2, column: 37, containing: "'info.version' must be a string")
    }

    /// An operation given by `$ref` that leads back to itself has no content: it is a loop,
    /// like a schema's. The loader follows it 64 times, then reads the `$ref` mapping as an
    /// empty operation and only warns about an unknown field.
    @Test
    func operationReferenceLoop() {
        let loaded = loadInMemory(
            """
            openapi: 3.1.0
            info: {title: T, version: "1"}
            paths:
              /a:
                get:
                  $ref: '#/paths/~1b/get'
              /b:
                get:
                  $ref: '#/paths/~1a/get'
            """)
        #expect(loaded.errors.contains { $0.message.contains("reference loop") }, "\(loaded.report)")
    }

    static let schemasHeader = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"

    /// Small documents that exercise other rejection paths, written in memory.
    static let inMemoryCases: [(name: String, text: String, line: Int, column: Int, message: String)] = [
        // More than twelve keys take the hashed duplicate check.
        (
            "many-keys.yaml",
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\nx-many:\n"
                + (0..<20).map { "  k\($0): 1\n" }.joined() + "  k7: 2\n",
            25, 3, "duplicate key 'k7' (first defined at line 12, column 3)"
        ),
        (
            "many-keys.json",
            "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}, \"x-a\": {"
                + (0..<30).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k3\": 2}}",
            1, 393, "duplicate key 'k3' (first defined at line 1, column 110)"
        ),
        ("null-document.yaml", "---\n", 2, 1, "an OpenAPI document must be a mapping, not null"),
        ("list-document.yaml", "- openapi: 3.1.0\n", 1, 1, "an OpenAPI document must be a mapping, not a list"),
        ("comment-only.yaml", "# nothing here\n", 1, 1, "is empty"),
        ("whitespace-only.json", "  \n\n", 1, 1, "is empty"),
        (
            "remote-ref.yaml",
            schemasHeader + "    A: {$ref: 'https://example.com/a.yaml#/A'}\n",
            6, 15, "is a remote reference"
        ),
        (
            "bad-percent.yaml",
            schemasHeader + "    A: {$ref: '#/components/schemas/%ZZ'}\n",
            6, 15, "has an invalid percent escape"
        ),
        (
            "self-ref.yaml",
            schemasHeader + "    A: {$ref: '#/components/schemas/A'}\n",
            6, 15, "reference loop: #/components/schemas/A -> #/components/schemas/A"
        ),
        (
            "missing-comma.json",
            "{\n  \"openapi\": \"3.1.0\"\n  \"info\": {}\n}\n",
            3, 3, "expected ',' or '}'"
        ),
    ]

    @Test("small generated bad documents", arguments: inMemoryCases.map(\.name))
    func inMemoryBadDocument(_ name: String) {
        let bad = Self.inMemoryCases.first { $0.name == name }!
        let loaded = loadInMemory(bad.text, path: "/virtual/\(name)")
        expectDiagnostic(loaded, .error, line: bad.line, column: bad.column, containing: bad.message)
        #expect(loaded.errors.count == 1, "\(loaded.report)")
    }
}
