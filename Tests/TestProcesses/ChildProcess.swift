import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A long-lived child process (a server, an SMTP peer) with its output in a log file;
/// `stop()` sends SIGTERM, then SIGKILL.
///
/// The child is reaped exactly once, here, and what the reaping learned is kept: `hasExited`
/// and `stop()` both ask `waitpid`, and before that was remembered, a child seen to exit by
/// `hasExited` (a server that could not bind its port) left `stop()` polling a pid that no
/// longer existed, forever — the intermittent hang of whole test runs.
public final class ChildProcess: Sendable {
    public struct SpawnFailed: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    public let log: URL
    /// The raw wait status once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        self.log = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString.prefix(8)).log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // A thread of Swift's pool may block signals; the child must not inherit that, or it
        // would ignore the SIGTERM that stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnFailed(description: "cannot start \(executable) (errno \(result))") }
        self.pid = pid
    }

    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Whether the child has ended; reaps it the first time it is seen ended.
    public var hasExited: Bool {
        reaped.withLock { status in
            if status != nil { return true }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = raw
                return true
            }
            // ECHILD: no such child any more (reaped by someone else); it has ended all the same.
            if result == -1 && errno == ECHILD {
                status = -1
                return true
            }
            return false
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited after ten seconds. Polls with `Task.sleep`,
    /// not a blocking wait, so other tests keep the cooperative threads.
    public func stop() async {
        if hasExited { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            if hasExited { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        kill(pid, SIGKILL)
        while !hasExited { try? await Task.sleep(for: .milliseconds(50)) }
    }
}
