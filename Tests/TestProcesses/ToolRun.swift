import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a command-line tool (swiftc, tsc, node, psql, scripts/services.sh, openssl) to its end
/// from a test, without blocking a thread of Swift's cooperative pool.
///
/// Why not Foundation's `Process`: on Linux its `waitUntilExit` and `Pipe` reads blocked a
/// cooperative thread for the whole run of swiftc (minutes), and its pipes and its exit-watch
/// socket are inherited by every child spawned meanwhile; a server started by a concurrent test
/// kept a tool's pipe open, so `readDataToEndOfFile` never returned and, with both of the two
/// cooperative threads of this machine blocked, the whole test run hung with nothing running.
/// swift-subprocess waits on a pidfd asynchronously and opens its descriptors close-on-exec.
public enum ToolRun {
    public struct Result: Sendable {
        /// The exit code, or 128 + the signal's number for a process ended by a signal (as a shell says).
        public var status: Int32
        /// Standard output and standard error, interleaved as the tool wrote them.
        public var output: String
        public var seconds: Double
        public var timedOut: Bool

        public var succeeded: Bool { status == 0 && !timedOut }
    }

    struct TimedOut: Error {}

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` in `folder`,
    /// its environment this process's with `environment` applied. Output goes to a file, not a
    /// pipe, so a daemon the tool starts (PostgreSQL, Redis) never holds the test's pipe open.
    /// The output is also left in `log` when one is given. After `timeout` the tool gets SIGTERM, then SIGKILL five seconds later.
    public static func run(
        _ executable: String, _ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:],
        log keptLog: URL? = nil, timeout: Duration = .seconds(600)
    ) async throws -> Result {
        let log = keptLog ?? FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).log")
        defer { if keptLog == nil { try? FileManager.default.removeItem(at: log) } }
        let descriptor = try FileDescriptor.open(
            FilePath(log.path), .writeOnly, options: [.create, .truncate, .closeOnExec], permissions: [.ownerReadWrite])
        // Raw entries are handed to the child as C strings: each carries its own NUL.
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { Array("\($0.key)=\($0.value)\0".utf8) }
        let options = {
            var options = PlatformOptions()
            options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(5))]
            return options
        }()
        let start = ContinuousClock.now
        let status: TerminationStatus? = try await withThrowingTaskGroup(of: TerminationStatus?.self) { group in
            group.addTask {
                try await Subprocess.run(
                    executable.contains("/") ? .path(FilePath(executable)) : .name(executable),
                    arguments: Arguments(arguments),
                    environment: .custom(variables),
                    workingDirectory: folder.map { FilePath($0.path) },
                    platformOptions: options,
                    input: .none,
                    output: .fileDescriptor(descriptor, closeAfterSpawningProcess: true),
                    error: .combinedWithOutput
                ).terminationStatus
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let seconds =
            Double((ContinuousClock.now - start).components.seconds)
            + Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        switch status {
        case .exited(let code): return Result(status: code, output: output, seconds: seconds, timedOut: false)
        case .signaled(let signal): return Result(status: 128 + signal, output: output, seconds: seconds, timedOut: false)
        case nil: return Result(status: -1, output: output, seconds: seconds, timedOut: true)
        }
    }
}
