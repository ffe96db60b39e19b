import Foundation
import Synchronization
import Testing

@testable import Security

private func currentThreadID() -> pthread_t { pthread_self() }

/// What the jobs of a test did, in the order they did it.
private final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func add(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

@Suite struct WorkerPoolTests {
    @Test func runsOffTheCallersThread() async {
        let pool = WorkerPool(threadCount: 2)
        let caller = currentThreadID()
        let worker = await pool.run { currentThreadID() }
        #expect(pthread_equal(caller, worker) == 0)
        #expect(pool.threadIDs.contains { pthread_equal($0, worker) != 0 }, "ran on a thread the pool did not start")
    }

    @Test func neverRunsMoreJobsThanThreads() async {
        let pool = WorkerPool(threadCount: 2)
        let clock = ContinuousClock()
        let started = clock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { _ = await pool.run { usleep(50_000) } }
            }
        }
        let elapsed = clock.now - started
        // 8 jobs of 50 ms on 2 threads: four rounds, and both threads busy.
        #expect(pool.peakActiveCount == 2)
        #expect(elapsed >= .milliseconds(195), "elapsed \(elapsed)")
        #expect(pool.activeCount == 0)
    }

    @Test func propagatesTypedErrors() async {
        struct Boom: Error, Equatable {}
        let pool = WorkerPool(threadCount: 1)
        await #expect(throws: Boom()) {
            try await pool.run { () throws(Boom) -> Int in throw Boom() }
        }
        #expect(await pool.run { 41 + 1 } == 42)
    }

    @Test func drainsManySmallJobsInOrderOfSubmissionOnOneThread() async {
        let pool = WorkerPool(threadCount: 1)
        var results: [Int] = []
        for index in 0..<200 {
            results.append(await pool.run { index })
        }
        #expect(results == Array(0..<200))
    }

    @Test func jobsRunningAtOnceStayWithinTheMemoryBudget() async {
        let pool = WorkerPool(threadCount: 2, memoryBudgetKiB: 100)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = await pool.run(memoryKiB: 60) { usleep(20_000) } }
            }
        }
        // Two threads, but 60 + 60 KiB would exceed the budget: one at a time.
        #expect(pool.peakActiveCount == 1)
        #expect(pool.peakMemoryKiB == 60)
        #expect(pool.activeCount == 0)
    }

    @Test func jobsThatFitTogetherShareTheBudget() async {
        let pool = WorkerPool(threadCount: 2, memoryBudgetKiB: 100)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = await pool.run(memoryKiB: 50) { usleep(50_000) } }
            }
        }
        #expect(pool.peakActiveCount == 2)
        #expect(pool.peakMemoryKiB == 100)
    }

    @Test func aJobWithoutMemoryIsNotHeldBackByOneWaitingForMemory() async {
        let pool = WorkerPool(threadCount: 2, memoryBudgetKiB: 100)
        let log = EventLog()
        let first = Task {
            await pool.run(memoryKiB: 100) {
                usleep(300_000)
                log.add("first heavy")
            }
        }
        while pool.activeCount == 0 { await Task.yield() }
        // Waits for the budget the first job holds...
        let second = Task { await pool.run(memoryKiB: 100) { log.add("second heavy") } }
        try? await Task.sleep(for: .milliseconds(20))
        // ...while a job that needs none runs on the idle thread at once.
        await pool.run { log.add("light") }
        await first.value
        await second.value
        #expect(log.all == ["light", "first heavy", "second heavy"])
        #expect(pool.peakMemoryKiB == 100)
    }

    @Test func aJobLargerThanTheWholeBudgetRunsAlone() async {
        let pool = WorkerPool(threadCount: 2, memoryBudgetKiB: 10)
        async let big = pool.run(memoryKiB: 1_000) {
            usleep(50_000)
            return "big"
        }
        async let small = pool.run(memoryKiB: 5) { "small" }
        #expect(await [big, small] == ["big", "small"])
        // Counted as the whole budget: the 5 KiB job waited for it.
        #expect(pool.peakMemoryKiB == 10)
        #expect(pool.peakActiveCount == 1)
    }
}
