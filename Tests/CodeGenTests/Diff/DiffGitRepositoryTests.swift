import Foundation
import OpenAPI
import Testing

@testable import CodeGen

/// `git:REF` sources against a throwaway repository the test commits frozen documents to, so
/// they run (and can fail) in any checkout: a tarball, a shallow clone, or one whose
/// `spec/openapi.yaml` the user has rewritten.
@Suite struct DiffGitRepositoryTests {
    /// A git repository in a fresh temporary folder; each `commit` writes files and commits them.
    struct Repository {
        let root: String

        init() throws {
            // The resolved path: git reports the top level resolved, and the loader compares it.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specgen-diff-git-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            root = folder.resolvingSymlinksInPath().path
            try git("init", "-q")
        }

        func git(_ arguments: String...) throws {
            let command = ["-C", root, "-c", "user.name=specgen tests", "-c", "user.email=tests@example.com"] + arguments
            guard case .success = SpecSource.git(command) else {
                throw RepositoryError(command: command)
            }
        }

        func commit(_ files: [String: String], message: String) throws {
            for (path, text) in files {
                let url = URL(fileURLWithPath: root + "/" + path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
                try git("add", path)
            }
            try git("commit", "-q", "-m", message)
        }

        func path(_ relative: String) -> String { root + "/" + relative }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    struct RepositoryError: Error, CustomStringConvertible {
        let command: [String]
        var description: String { "git \(command.joined(separator: " ")) failed" }
    }

    /// A document with one operation whose body's `name` has at most `maxLength` characters,
    /// the schema in `schemas.yaml` beside it.
    static func document(summary: String) -> String {
        """
        openapi: 3.1.0
        info: {title: Throwaway, version: '1'}
        paths:
          /things:
            post:
              operationId: createThing
              summary: \(summary)
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: 'schemas.yaml#/Thing'}
              responses:
                '200': {description: Created}

        """
    }

    static func schemas(maxLength: Int) -> String {
        """
        Thing:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: \(maxLength)}

        """
    }

    /// The old side, and the file it refers to, are read at the revision: the working tree's
    /// `schemas.yaml` has moved on, and the narrowed `maxLength` is found all the same.
    @Test func anEarlierCommitIsComparedWithTheWorkingTree() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.commit(
            ["spec/openapi.yaml": Self.document(summary: "Create"), "spec/schemas.yaml": Self.schemas(maxLength: 255)], message: "first")
        try repository.commit(["spec/schemas.yaml": Self.schemas(maxLength: 100)], message: "narrower")
        // The working tree moves on again, uncommitted: the new side is the file as it is now.
        try Data(Self.schemas(maxLength: 50).utf8).write(to: URL(fileURLWithPath: repository.path("spec/schemas.yaml")))

        let spec = repository.path("spec/openapi.yaml")
        let atFirst = DiffRun(old: .git(revision: "HEAD~1", path: nil), new: .file(spec), specPath: spec).run()
        #expect(atFirst.errors.isEmpty, "\(atFirst.errors)")
        #expect(atFirst.exitCode == 1)
        let breaking = atFirst.report?.breaking.map { "\($0.rule.id) \($0.operation ?? "")" }
        #expect(breaking == ["request-property-max-length-decreased POST /things"])

        // Between the two commits, both read at their revisions.
        let committed = DiffRun(old: .git(revision: "HEAD~1", path: nil), new: .git(revision: "HEAD", path: nil), specPath: spec).run()
        #expect(committed.exitCode == 1, "\(committed.errors)")
        #expect(committed.report?.breaking.count == 1)

        // And the last commit against itself: nothing.
        let same = DiffRun(old: .git(revision: "HEAD", path: nil), new: .git(revision: "HEAD", path: nil), specPath: spec).run()
        #expect(same.exitCode == 0, "\(same.errors)")
        #expect(same.report?.changes.isEmpty == true)
    }

    @Test func unknownRevisionIsAClearError() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.commit(
            ["spec/openapi.yaml": Self.document(summary: "Create"), "spec/schemas.yaml": Self.schemas(maxLength: 255)], message: "first")
        let spec = repository.path("spec/openapi.yaml")
        let outcome = DiffRun(old: .git(revision: "no-such-revision", path: nil), new: .file(spec), specPath: spec).run()
        #expect(outcome.exitCode == 2)
        #expect(outcome.errors == ["specgen: error: git revision 'no-such-revision' does not exist"])
    }

    @Test func fileMissingAtRevisionIsAClearError() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.commit(["README.md": "nothing yet\n"], message: "before the spec")
        try repository.commit(
            ["spec/openapi.yaml": Self.document(summary: "Create"), "spec/schemas.yaml": Self.schemas(maxLength: 255)], message: "spec")
        let spec = repository.path("spec/openapi.yaml")
        let result = SpecSource.git(revision: "HEAD~1", path: nil).load(specPath: spec)
        guard case .failure(let error) = result else {
            Issue.record("loaded a spec from before its first commit")
            return
        }
        #expect(error == .missingAtRevision(revision: "HEAD~1", path: "spec/openapi.yaml"))
        #expect(error.description == "'spec/openapi.yaml' does not exist at git revision 'HEAD~1'")
    }

    @Test func aFolderOutsideAnyRepositoryIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("specgen-no-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.resolvingSymlinksInPath().path
        let result = SpecSource.git(revision: "HEAD", path: nil).load(specPath: path + "/openapi.yaml")
        guard case .failure(let error) = result else {
            Issue.record("loaded a spec outside any repository")
            return
        }
        #expect(error == .notARepository(path))
    }
}
