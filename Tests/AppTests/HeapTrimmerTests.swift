import Logging
import ServiceLifecycle
import Testing

@testable import App

/// The heap trimmer runs beside the server and must never hold up its shutdown.
@Suite struct HeapTrimmerTests {
    /// Far from both outcomes: a stop takes milliseconds, a trimmer that slept through it an
    /// hour. CI runs these beside a parallel Swift build on two cores, where a 2 s bound failed
    /// once at 2.47 s with nothing wrong.
    static let bound = Duration.seconds(60)

    @Test func trimsUntilAGracefulShutdownAndThenStopsAtOnce() async throws {
        // A few rounds of checking (and trimming) on NIO's thread pool first.
        let delay = try await shutdownDelay(interval: .milliseconds(5), runningFor: .milliseconds(50))
        #expect(delay < Self.bound, "the trimmer held up the shutdown")
    }

    @Test func anHourLongIntervalDoesNotDelayTheShutdown() async throws {
        let delay = try await shutdownDelay(interval: .seconds(3_600), runningFor: .milliseconds(20))
        #expect(delay < Self.bound, "the trimmer slept through the shutdown")
    }

    /// Runs a trimmer for `duration`, then asks for a graceful shutdown: how long it took to stop.
    private func shutdownDelay(interval: Duration, runningFor duration: Duration) async throws -> Duration {
        let logger = Logger(label: "test")
        let group = ServiceGroup(
            configuration: .init(
                services: [HeapTrimmer(interval: interval, logger: logger)], gracefulShutdownSignals: [], logger: logger))
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: duration)
            let asked = clock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return clock.now - asked
        }
    }
}
