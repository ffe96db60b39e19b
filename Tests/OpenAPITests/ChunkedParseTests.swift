import Foundation
import Testing

@testable import OpenAPI

/// The two-thread YAML parse must build the tree a single pass builds, node for node, or give
/// up and leave the document to the single pass.
@Suite struct ChunkedParseTests {
    /// The tree of one pass over the whole document, as before chunking existed.
    private func singlePass(_ bytes: [UInt8]) -> (NodeTree, DiagnosticLog) {
        bytes.withUnsafeBufferPointer { YAMLParser.read($0, file: "doc.yaml", limits: ParseLimits()).finish() }
    }

    private func chunked(_ bytes: [UInt8], limits: ParseLimits = ParseLimits(), near: Int? = nil) -> NodeTree? {
        bytes.withUnsafeBufferPointer {
            ChunkedYAMLParser.parse($0, file: "doc.yaml", limits: limits, force: true, near: near)
        }
    }

    private func differences(_ left: NodeTree, _ right: NodeTree) -> [String] { left.differences(from: right) }

    private func expectJoined(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        let (expected, log) = singlePass(bytes)
        #expect(log.entries.isEmpty, sourceLocation: sourceLocation)
        guard let joined = chunked(bytes) else {
            Issue.record("the chunked parse gave up", sourceLocation: sourceLocation)
            return
        }
        #expect(differences(joined, expected) == [], sourceLocation: sourceLocation)
    }

    /// Tries `cuts` evenly spaced cuts; every one that joins must give the single pass's tree.
    /// Returns how many joined.
    @discardableResult
    private func expectEveryJoinMatches(
        _ bytes: [UInt8], cuts: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Int {
        let (expected, _) = singlePass(bytes)
        var joined = 0
        for step in 0..<cuts {
            let near = bytes.count * step / cuts
            guard let tree = chunked(bytes, near: near) else { continue }
            joined += 1
            #expect(differences(tree, expected) == [], "cut near byte \(near)", sourceLocation: sourceLocation)
        }
        return joined
    }

    private func expectFallback(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(chunked(Array(text.utf8)) == nil, sourceLocation: sourceLocation)
    }

    /// A document whose middle falls inside `paths`, with root keys after it.
    private func document(pathCount: Int = 40, after: String = "security:\n- key: []\nservers:\n- url: /\n") -> String {
        var text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
        for index in 0..<pathCount {
            text += "  /p\(index):\n    get:\n      summary: \"path \(index)\"\n      responses:\n        '200': {description: ok}\n"
        }
        return text + after
    }

    @Test func joinsACutInsideANestedMappingWithATail() {
        expectJoined(document())
    }

    @Test func joinsACutInsideANestedMappingThatEndsTheDocument() {
        expectJoined(document(after: ""))
    }

    @Test func joinsACutBetweenRootKeys() {
        var text = "openapi: 3.1.0\n"
        for index in 0..<60 { text += "x-key-\(index): {value: \(index), list: [a, b]}\n" }
        expectJoined(text)
    }

    @Test func doesNotCutRightUnderTheParentKey() {
        var text = "openapi: 3.1.0\n"
        for index in 0..<60 { text += "x-key-\(index):\n  value: \(index)\n  list: [a, b]\n" }
        expectJoined(text)
    }

    @Test func givesUpWhenTheMappingTheMiddleContinuesIsAFlowMapping() {
        var text = "openapi: 3.1.0\npaths:\n  {}\n"
        for index in 0..<40 { text += "  /p\(index): {summary: x}\n" }
        // A cut sought from the `paths:` line lands right after the `{}`: the head alone
        // parses, but the single pass does not.
        let cut = text.utf8.distance(from: text.startIndex, to: text.range(of: "paths:")!.lowerBound)
        #expect(chunked(Array(text.utf8), near: cut) == nil)
    }

    @Test func givesUpOnACutTwoLevelsDown() {
        var text = "openapi: 3.1.0\ncomponents:\n  schemas:\n"
        for index in 0..<40 { text += "    S\(index):\n      type: string\n" }
        expectFallback(text)
    }

    @Test func joinsAcrossCommentsBlankLinesAndCarriageReturns() {
        let text = document().replacingOccurrences(of: "    get:\n", with: "    get:\n\n# a comment at column 0\n")
        expectJoined(text)
        expectJoined(text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func joinsWithMultiLineScalarsAndAnchorsInsideOnePiece() {
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<40 {
            text += "  /p\(index):\n    x-a: &a\(index) {k: v}\n    x-b: *a\(index)\n"
            text += "    description: |\n      line one\n\n      line three\n"
        }
        expectJoined(text + "tags:\n- name: t\n")
    }

    @Test func givesUpWhenAQuotedScalarSpansTheCut() {
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<20 { text += "  /p\(index):\n    summary: x\n" }
        text += "  /quoted:\n    summary: \"starts here\n  continues: at the cut's indentation\n  and: ends\"\n"
        for index in 0..<20 { text += "  /q\(index):\n    summary: x\n" }
        // Wherever the middle falls, a quoted scalar across it must not be split.
        let bytes = Array(text.utf8)
        let (expected, _) = singlePass(bytes)
        if let joined = chunked(bytes) {
            #expect(differences(joined, expected) == [])
        }
    }

    @Test func givesUpOnAnAliasAcrossTheCut() {
        var text = "openapi: 3.1.0\nx-base: &base {k: v}\npaths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    x-copy: *base\n" }
        expectFallback(text)
    }

    @Test func givesUpOnADuplicateKeyAcrossTheCut() {
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<40 { text += "  /p\(index % 30):\n    summary: x\n" }
        expectFallback(text)
        // The single pass, which the loader falls back to, reports it.
        let loaded = loadInMemory(text)
        #expect(loaded.diagnostics.entries.contains { $0.message.contains("duplicate key '/p") })
    }

    @Test func givesUpOnMergeKeys() {
        var text = "openapi: 3.1.0\nx-base: &base {k: v}\npaths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    <<: {k: v}\n    summary: x\n" }
        expectFallback(text)
    }

    @Test func givesUpOnASecondDocument() {
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    summary: x\n" }
        expectFallback(text + "---\nsecond: document\n")
    }

    @Test func givesUpWhenADocumentEndMarkerPrecedesTheCut() {
        var text = "openapi: 3.1.0\n"
        for index in 0..<20 { text += "x-a\(index): 1\n" }
        text += "...\n"
        for index in 0..<20 { text += "x-b\(index): 1\n" }
        // The single pass reads the first document only; a join would add the second's keys.
        expectEveryJoinMatches(Array(text.utf8), cuts: 10)
    }

    @Test func givesUpWhenTheHeadEndsWithAnEmptyValue() {
        // The empty value of an explicit key takes its place from the token after it: in the
        // whole document that is the next key, two columns in; at the end of the head it would
        // be the end of the input.
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    ? get\n" }
        expectEveryJoinMatches(Array(text.utf8), cuts: 20)
    }

    @Test func givesUpWhenTheCutIsInsideASequence() {
        var text = "openapi: 3.1.0\ntags:\n"
        for index in 0..<40 { text += "- name: t\(index)\n  description: d\n" }
        expectFallback(text)
    }

    @Test func givesUpOnAnErrorAndTheSinglePassReportsIt() {
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    summary: [unclosed\n" }
        expectFallback(text)
    }

    @Test func keepsTheAliasBoundAcrossPieces() {
        var limits = ParseLimits()
        limits.maxExpandedNodes = 150
        var text = "openapi: 3.1.0\npaths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    summary: x\n" }
        // Each piece alone stays under the bound; together they do not.
        #expect(chunked(Array(text.utf8), limits: limits) == nil)
    }

    /// Cuts all through real documents: each join is the single pass's tree, or no join.
    @Test(arguments: ["discourse.yml", "cloud-hypervisor.yaml", "oai-tictactoe.yaml", "oai-api-with-examples.yaml"])
    func cutsAnywhereJoinToTheSinglePassTreeOrGiveUp(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Corpus.folder.appendingPathComponent(name)))
        #expect(expectEveryJoinMatches(bytes, cuts: 40) > 0, "\(name): no cut was ever joined")
    }

    @Test(arguments: ["stripe-spec3.yaml", "discourse.yml", "oai-uspto.yaml"])
    func corpusDocumentsJoinToTheSinglePassTree(_ name: String) throws {
        let url = Corpus.folder.appendingPathComponent(name)
        let bytes = try [UInt8](Data(contentsOf: url))
        let (expected, _) = singlePass(bytes)
        guard let joined = chunked(bytes) else {
            Issue.record("\(name): the chunked parse gave up")
            return
        }
        #expect(differences(joined, expected) == [])
    }
}
