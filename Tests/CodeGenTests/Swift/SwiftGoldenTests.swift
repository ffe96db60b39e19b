import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// The `Swift/*.swift` files generated from `Fixtures/golden.yaml`, compared byte for byte with
/// the committed `Fixtures/golden-swift/<name>.swift.golden` (`SPECGEN_UPDATE_GOLDEN=1` rewrites
/// them; the extra extension keeps them out of the test target's sources).
@Suite struct SwiftGoldenTests {
    @Test func fixtureLoadsWithoutErrors() {
        let spec = SwiftTestSupport.load(SwiftTestSupport.goldenFixture)
        #expect(!spec.hasErrors, "golden.yaml does not load: \(spec.diagnostics.entries)")
        let model = APIModel.build(from: spec)
        let errors = model.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "golden.yaml does not build a model: \(errors)")
    }

    @Test func fixtureMatchesTheGoldenFiles() throws {
        let spec = SwiftTestSupport.load(SwiftTestSupport.goldenFixture)
        try #require(!spec.hasErrors, "golden.yaml does not load: \(spec.diagnostics.entries)")
        let files = SwiftTestSupport.generatedSwift(spec)
        #expect(
            files.keys.sorted() == [
                "APIRoutes.swift", "AccountsAPI.swift", "NotesAPI.swift", "ResponseHeaders.swift", "Support.swift", "Types.swift",
            ])
        if SwiftTestSupport.updatesGoldenFiles {
            try SwiftTestSupport.replaceSwiftFiles(
                in: SwiftTestSupport.goldenFolder, with: files, suffix: SwiftTestSupport.goldenSuffix)
            return
        }
        let committed = try SwiftTestSupport.swiftFiles(
            in: SwiftTestSupport.goldenFolder, suffix: SwiftTestSupport.goldenSuffix)
        try #require(
            !committed.isEmpty,
            "no golden files in \(SwiftTestSupport.goldenFolder.path): run with SPECGEN_UPDATE_GOLDEN=1 to write them")
        let problems = SwiftTestSupport.differences(files, committed)
        #expect(
            problems.isEmpty,
            "the Swift generated from golden.yaml differs from Fixtures/golden-swift (run with SPECGEN_UPDATE_GOLDEN=1 to accept):\n  \(problems.joined(separator: "\n  "))"
        )
    }

    /// The fixture reaches each thing it is there for; a golden file that silently lost one
    /// would otherwise be accepted by the next `SPECGEN_UPDATE_GOLDEN=1`.
    @Test func fixtureCoversWhatItIsFor() throws {
        let files = SwiftTestSupport.generatedSwift(SwiftTestSupport.load(SwiftTestSupport.goldenFixture))
        let types = try #require(files["Types.swift"])
        let accounts = try #require(files["AccountsAPI.swift"])
        let notes = try #require(files["NotesAPI.swift"])
        let routes = try #require(files["APIRoutes.swift"])
        let expectations: [(String, String, String)] = [
            // Models.
            ("Types.swift", types, "public struct Account: Codable, Hashable, Sendable {"),
            ("Types.swift", types, "public var nickname: String?"),
            ("Types.swift", types, "public var createdAt: Date"),
            ("Types.swift", types, "public var id: UUID"),
            ("Types.swift", types, "public enum AccountStatus: String, Codable, Hashable, Sendable, CaseIterable {"),
            ("Types.swift", types, "public enum Priority: Int, Codable, Hashable, Sendable, CaseIterable {"),
            ("Types.swift", types, "public indirect enum PaymentMethod: Codable, Hashable, Sendable {"),
            ("Types.swift", types, "case \"card\": self = .card(try Card(from: decoder))"),
            ("Types.swift", types, "public var additionalProperties: [String: String]"),
            ("Types.swift", types, "@Indirect public var child: Node?"),
            ("Types.swift", types, "public var items: [Account]"),
            // Validation of request models.
            ("Types.swift", types, "extension NewAccount: SchemaModel {"),
            ("Types.swift", types, "StringRules(maxLength: 254, format: .email)"),
            ("Types.swift", types, "pattern: Pattern("),
            ("Types.swift", types, "NumberRules<Int>(minimum: 13, maximum: 150)"),
            ("Types.swift", types, "?? true"),
            ("Types.swift", types, "extension PaymentMethod: SchemaValue {"),
            ("Types.swift", types, "extension Priority: SchemaEnum {}"),
            // Operations.
            ("AccountsAPI.swift", accounts, "public protocol AccountsAPI: Sendable {"),
            ("AccountsAPI.swift", accounts, "reader.query(\"limit\", as: Int.self, default: 20, rules: Self.limitRules)"),
            ("AccountsAPI.swift", accounts, "reader.queryList(\"status\", of: AccountStatus.self, style: .form, explode: true)"),
            ("AccountsAPI.swift", accounts, "reader.queryList(\"ids\", of: UUID.self, style: .form, explode: false"),
            ("AccountsAPI.swift", accounts, "reader.header(\"X-Request-ID\", as: UUID.self)"),
            ("AccountsAPI.swift", accounts, "reader.cookie(\"session\", as: String.self"),
            ("AccountsAPI.swift", accounts, "reader.path(\"accountId\", as: UUID.self)"),
            ("AccountsAPI.swift", accounts, "try await reader.body(NewAccount.self, required: true)"),
            ("AccountsAPI.swift", accounts, "public static let security: SecurityRequirements = [[\"bearer\": []], [\"apiKey\": []]]"),
            ("AccountsAPI.swift", accounts, "[[\"bearer\": [\"accounts:write\"]]]"),
            ("AccountsAPI.swift", accounts, "let principal: (any AuthenticatedPrincipal)? = nil"),
            ("AccountsAPI.swift", accounts, "let principal = try await security.authenticate("),
            ("AccountsAPI.swift", accounts, "status: Int"),
            ("NotesAPI.swift", notes, "try await reader.formBody("),
            ("NotesAPI.swift", notes, "APIResponse.text(body"),
            ("NotesAPI.swift", notes, "APIResponse.empty(status: .init(code: 204)"),
            ("APIRoutes.swift", routes, "public func registerAPIRoutes<Context: RequestContext>("),
        ]
        for (name, text, expected) in expectations {
            #expect(text.contains(expected), "\(name) lacks `\(expected)`")
        }
    }

    /// Separate loads of the same document give byte-identical files (no dictionary order, no
    /// addresses, no clock leaks into the output).
    @Test(arguments: [SwiftTestSupport.goldenFixture, SwiftTestSupport.exampleSpec])
    func generatesTheSameBytesEveryTime(_ url: URL) {
        let first = SwiftTestSupport.generatedSwift(SwiftTestSupport.load(url))
        let second = SwiftTestSupport.generatedSwift(SwiftTestSupport.load(url))
        #expect(!first.isEmpty)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (name, text) in first {
            #expect(Array(second[name]?.utf8 ?? "".utf8) == Array(text.utf8), "\(name) changed between runs")
        }
    }

    @Test func filesAreTidy() {
        let files = SwiftTestSupport.generatedSwift(SwiftTestSupport.load(SwiftTestSupport.goldenFixture))
        for (name, contents) in files {
            #expect(
                contents.hasPrefix("// Generated by specgen from Swift Golden Fixture 1.0.0. Do not edit.\n\n"),
                "\(name) lacks the header")
            #expect(contents.hasSuffix("\n") && !contents.hasSuffix("\n\n"), "\(name) ends untidily")
            #expect(!contents.contains("\t"), "\(name) has a tab")
            #expect(!contents.contains("\r"), "\(name) has a carriage return")
            let trailing = contents.split(separator: "\n").filter { $0.hasSuffix(" ") }
            #expect(trailing.isEmpty, "\(name) has trailing spaces: \(trailing.prefix(3))")
        }
    }
}
