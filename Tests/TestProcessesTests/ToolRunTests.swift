import Foundation
import TestProcesses
import Testing

/// The process helpers every integration test leans on: a wrong environment or a stop that
/// never returns shows up elsewhere as a confusing failure or a hung run.
@Suite struct ToolRunTests {
    @Test func environmentValuesArriveExactly() async throws {
        let result = try await ToolRun.run(
            "/bin/sh", ["-c", "printf '%s|%s' \"$SHORT\" \"$OTHER\""], environment: ["SHORT": "10", "OTHER": "a b=c"])
        #expect(result.succeeded)
        #expect(result.output == "10|a b=c")
    }

    @Test func exitStatusAndBothStreamsAreKept() async throws {
        let result = try await ToolRun.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(!result.succeeded)
        #expect(result.output.contains("out") && result.output.contains("err"))
    }

    @Test func aToolPastItsTimeoutIsEnded() async throws {
        // sleep 600 would outlast any test run: returning at all shows it was ended.
        let result = try await ToolRun.run("/bin/sleep", ["600"], timeout: .milliseconds(300))
        #expect(result.timedOut)
    }

    @Test func aMissingToolIsAnError() async throws {
        await #expect(throws: (any Error).self) {
            try await ToolRun.run("/nonexistent/tool", [])
        }
    }
}

@Suite struct ChildProcessTests {
    /// A child seen to exit by `hasExited` is reaped there; `stop()` must not wait for it again
    /// (it used to poll the vanished pid forever and hang the whole test run).
    @Test func stopAfterTheChildExitedOnItsOwnReturns() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo bye; exit 1"])
        let deadline = ContinuousClock.now + .seconds(30)
        while !child.hasExited {
            try #require(ContinuousClock.now < deadline, "the child never exited")
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(child.hasExited)
        let stopped = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await child.stop()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                return false
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        #expect(stopped, "stop() did not return for a child that had already exited")
        #expect(child.output.contains("bye"))
    }

    @Test func stopEndsARunningChild() async throws {
        let child = try ChildProcess("/bin/sleep", ["60"])
        #expect(!child.hasExited)
        await child.stop()
        #expect(child.hasExited)
    }

    @Test func portsAreDistinctAndOutsideTheEphemeralRange() throws {
        let ports = try (0..<20).map { _ in try TestPorts.free() }
        #expect(Set(ports).count == ports.count)
        #expect(ports.allSatisfy { $0 < 32_768 })
    }
}
