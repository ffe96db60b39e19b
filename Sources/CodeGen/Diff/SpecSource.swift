import Foundation
import OpenAPI

/// Where `specgen diff` reads a document from: a file, or `git:REF` (the spec file as it was at
/// a git revision, `git show REF:<path>`), or `git:REF:PATH` for another file of the repository.
public enum SpecSource: Sendable, Equatable {
    case file(String)
    case git(revision: String, path: String?)

    public init(argument: String) {
        guard argument.hasPrefix("git:") else {
            self = .file(argument)
            return
        }
        let rest = argument.dropFirst(4)
        if let colon = rest.firstIndex(of: ":") {
            self = .git(revision: String(rest[..<colon]), path: String(rest[rest.index(after: colon)...]))
        } else {
            self = .git(revision: String(rest), path: nil)
        }
    }

    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        case notARepository(String)
        case unknownRevision(String)
        case missingAtRevision(revision: String, path: String)
        case gitFailed(String)

        public var description: String {
            switch self {
            case .notARepository(let folder): "\(folder) is not inside a git repository"
            case .unknownRevision(let revision): "git revision '\(revision)' does not exist"
            case .missingAtRevision(let revision, let path): "'\(path)' does not exist at git revision '\(revision)'"
            case .gitFailed(let message): "git failed: \(message)"
            }
        }
    }

    /// The loaded document and the name diagnostics give it (`HEAD~3:spec/openapi.yaml` for a revision).
    /// `specPath` is the file a `git:REF` without a path means.
    public func load(specPath: String, loader: SpecLoader = SpecLoader()) -> Result<(spec: LoadedSpec, name: String), LoadError> {
        switch self {
        case .file(let path):
            return .success((loader.load(path: path), path))
        case .git(let revision, let path):
            return Self.loadAtRevision(revision, path: path ?? specPath, limits: loader.limits)
        }
    }

    private static func loadAtRevision(
        _ revision: String, path: String, limits: ParseLimits
    ) -> Result<(spec: LoadedSpec, name: String), LoadError> {
        let absolute = SourceFiles.absolutePath(path)
        let folder = String(absolute[..<(absolute.lastIndex(of: "/") ?? absolute.startIndex)])
        guard case .success(let top) = git(["-C", folder.isEmpty ? "/" : folder, "rev-parse", "--show-toplevel"]) else {
            return .failure(.notARepository(folder))
        }
        let root = String(decoding: top, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard case .success = git(["-C", root, "rev-parse", "--verify", "--quiet", "\(revision)^{commit}"]) else {
            return .failure(.unknownRevision(revision))
        }
        guard absolute.hasPrefix(root + "/") else { return .failure(.notARepository(folder)) }
        let relative = String(absolute.dropFirst(root.count + 1))
        guard case .success = git(["-C", root, "cat-file", "-e", "\(revision):\(relative)"]) else {
            return .failure(.missingAtRevision(revision: revision, path: relative))
        }
        // The document is named `REV:path`, as git names it; files it refers to are read at
        // the same revision.
        let name = "\(revision):\(relative)"
        let prefix = SourceFiles.absolutePath(revision) + ":"
        let files = SourceFiles { requested in
            let wanted: String
            if requested.hasPrefix(prefix) {
                wanted = String(requested.dropFirst(prefix.count))
            } else if requested.hasPrefix(root + "/") {
                wanted = String(requested.dropFirst(root.count + 1))
            } else {
                return .failure(.notFound)
            }
            switch git(["-C", root, "show", "\(revision):\(wanted)"]) {
            case .success(let bytes): return .success(bytes)
            case .failure: return .failure(.notFound)
            }
        }
        let loader = SpecLoader(limits: limits, files: files)
        return .success((loader.load(path: name), name))
    }

    /// Runs git; its standard output on success.
    ///
    /// posix_spawn with the output in a temporary file rather than Foundation's `Process` and a
    /// `Pipe`: on Linux a pipe's write end is inherited by any child another thread spawns
    /// meanwhile, and a long-lived one (a server a test starts) kept the read from ever ending.
    static func git(_ arguments: [String]) -> Result<[UInt8], LoadError> {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("specgen-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["git"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "git", &actions, nil, argv, environ)
        guard spawned == 0 else { return .failure(.gitFailed("cannot run git: \(String(cString: strerror(spawned)))")) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            return .failure(.gitFailed(status & 0x7f == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"))
        }
        guard let data = FileManager.default.contents(atPath: output.path) else { return .failure(.gitFailed("no output")) }
        return .success([UInt8](data))
    }
}
