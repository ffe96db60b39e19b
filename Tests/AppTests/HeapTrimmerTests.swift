import Logging
import ServiceLifecycle
import Testing

@testable import App

/// The heap trimmer runs beside the server and must never hold up its shutdown.
@Suite struct HeapTrimmerTests {
    @Test func trimsUntilAGracefulShutdownAndThenStopsAtOnce() async throws {
        let trimmer = HeapTrimmer(interval: .milliseconds(5), logger: Logger(label: "test"))
        let group = ServiceGroup(
            configuration: .init(services: [trimmer], gracefulShutdownSignals: [], logger: Logger(label: "test")))
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // A few rounds of trimming on NIO's thread pool.
            try await Task.sleep(for: .milliseconds(50))
            let asked = clock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(clock.now - asked < .seconds(2), "the trimmer held up the shutdown")
        }
    }

    @Test func anHourLongIntervalDoesNotDelayTheShutdown() async throws {
        let trimmer = HeapTrimmer(interval: .seconds(3_600), logger: Logger(label: "test"))
        let group = ServiceGroup(
            configuration: .init(services: [trimmer], gracefulShutdownSignals: [], logger: Logger(label: "test")))
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(20))
            let asked = clock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(clock.now - asked < .seconds(2), "the trimmer slept through the shutdown")
        }
    }
}
