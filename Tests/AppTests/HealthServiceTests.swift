import API
import Logging
import ServerRuntime
import Synchronization
import Testing

@testable import App

/// The readiness probe's deadlines: each check races its dependency against a timer, and the
/// timer must go when the dependency answers (left running, every probe kept a task and a timer
/// alive for the whole timeout, which under load grew the server by a hundred MiB).
@Suite struct HealthServiceTests {
    @Test func answeredChecksCancelTheirDeadlines() async throws {
        try await TestApp.run { app, _ in
            let deadlines = DeadlineLog()
            let service = HealthService(app.dependencies, timeout: .seconds(3600)) { delay, action in
                let scheduled = HealthService.eventLoopDeadline(delay, action)
                deadlines.started()
                return {
                    deadlines.cancelled()
                    scheduled()
                }
            }
            let context = OperationContext(requestID: "health-test", logger: Logger(label: "health-test"))
            for _ in 0..<5 {
                guard case .ok(let status) = try await service.healthReady(.init(), context: context) else {
                    Issue.record("readiness failed with PostgreSQL and Redis up")
                    return
                }
                #expect(status.checks == ["postgres": .ok, "redis": .ok])
            }
            // Each deadline is cancelled by its probe's task right after the check answered.
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(10)
            while deadlines.counts.cancelled < 10, clock.now < giveUp { try await Task.sleep(for: .milliseconds(10)) }
            #expect(deadlines.counts.started == 10)
            #expect(deadlines.counts.cancelled == 10)
        }
    }

    @Test func aDeadlineRunsWhenDueUnlessCancelled() async throws {
        let fired = Mutex([String]())
        // The cancelled one is due later than the kept one, by far more than the two lines between
        // its scheduling and its cancelling can take on a busy machine.
        let kept = HealthService.eventLoopDeadline(.milliseconds(20)) { fired.withLock { $0.append("kept") } }
        let cancel = HealthService.eventLoopDeadline(.milliseconds(500)) { fired.withLock { $0.append("cancelled") } }
        cancel()
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(10)
        while fired.withLock({ $0.isEmpty }), clock.now < giveUp { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(600))  // the cancelled one was due by now too
        #expect(fired.withLock { $0 } == ["kept"])
        _ = kept
    }
}

/// How many deadlines started and how many were cancelled.
private final class DeadlineLog: Sendable {
    private let state = Mutex((started: 0, cancelled: 0))

    var counts: (started: Int, cancelled: Int) { state.withLock { $0 } }
    func started() { state.withLock { $0.started += 1 } }
    func cancelled() { state.withLock { $0.cancelled += 1 } }
}
