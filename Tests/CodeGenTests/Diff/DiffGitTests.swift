import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// The example spec's own history replayed through `diff`, when this checkout has it (the
/// `git:REF` source itself is tested on a throwaway repository: `DiffGitRepositoryTests`).
@Suite struct DiffGitTests {
    /// The repository this test file is in, when it is a git checkout.
    static let repository: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        guard case .success = SpecSource.git(["-C", root, "rev-parse", "--git-dir"]) else { return nil }
        return root
    }()

    static func commits(of path: String, in root: String) -> [String] {
        guard case .success(let bytes) = SpecSource.git(["-C", root, "log", "--reverse", "--format=%H", "--", path]) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Every commit of `spec/openapi.yaml` up to `frozenHistory`'s last against the one before:
    /// the breaking changes are the ones a reviewer of those commits would name, and nothing else.
    /// The list is frozen: commits made later are a user's own edits of the spec, which may well
    /// break its contract on purpose, and are no test of the generator's.
    @Test func exampleSpecHistory() throws {
        guard let root = Self.repository else { return }
        let recorded = Self.commits(of: "spec/openapi.yaml", in: root)
        // A rewritten or shallow history lacks the frozen commits: nothing to replay then.
        guard let commits = Self.resolve(Self.frozenHistory, among: recorded) else { return }
        // Short commit id of the newer document → the breaking changes it brings, as `rule-id operation`.
        let expected: [String: [String]] = Self.expectedHistory
        var seen: [String: [String]] = [:]
        for (before, after) in zip(commits, commits.dropFirst()) {
            func load(_ commit: String) throws -> LoadedSpec {
                let result = SpecSource.git(revision: commit, path: nil).load(specPath: root + "/spec/openapi.yaml")
                let loaded = try result.get().spec
                #expect(!loaded.hasErrors, "\(commit): \(loaded.diagnostics.entries.prefix(3).map(\.description))")
                return loaded
            }
            let report = SpecDiff.compare(
                old: try load(before), new: try load(after), oldName: before, newName: after,
                options: DiffOptions(today: "2026-12-01"))
            seen[String(after.prefix(7))] = report.breaking.map { "\($0.rule.id) \($0.operation ?? "")" }
        }
        #expect(seen.count == Self.frozenHistory.count - 1)
        for (commit, breaking) in seen.sorted(by: { $0.key < $1.key }) {
            #expect(breaking == (expected[commit] ?? []), "commit \(commit)")
        }
    }

    /// The full ids of `short`, in its order, when each is one of `recorded` and they follow each
    /// other there with nothing in between; nil otherwise.
    static func resolve(_ short: [String], among recorded: [String]) -> [String]? {
        guard let first = short.first, let start = recorded.firstIndex(where: { $0.hasPrefix(first) }),
            recorded.count - start >= short.count
        else { return nil }
        let run = Array(recorded[start..<start + short.count])
        return zip(run, short).allSatisfy { $0.hasPrefix($1) } ? run : nil
    }

    /// The example spec's commits when this test was written, oldest first.
    static let frozenHistory = ["2ed73b2", "5ee4686", "8e26183", "4b6d725", "28390bb", "c802cca", "e3982d7", "a6d0371"]

    /// 8e26183 (schemathesis fixes): private user creation validates, so its body's `email`
    /// gains `format: email` and `maxLength: 255` and `full_name` `maxLength: 255` — requests
    /// that passed before may be refused. (The same commit's `skip`/`limit` gaining
    /// `format: int64` is a note: every client's integers were 64-bit already.) Every other
    /// commit adds operations, responses or optional fields, or moves shared responses into
    /// `x-default-responses` (e3982d7: no change at all).
    static let expectedHistory: [String: [String]] = [
        "8e26183": [
            "request-property-format-narrowed POST /api/v1/private/users/",
            "request-property-max-length-decreased POST /api/v1/private/users/",
            "request-property-max-length-decreased POST /api/v1/private/users/",
        ]
    ]
}
