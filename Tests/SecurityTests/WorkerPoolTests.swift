import Foundation
import Synchronization
import Testing

@testable import Security

private func currentThreadID() -> pthread_t { pthread_self() }

/// A count the pool's threads wait on, so a test says "while these run at once" without
/// guessing at timings (the machine may be busy with other tests' hashes).
private final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private var count = 0

    func arrive() {
        condition.lock()
        count += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `target` arrivals happened within `seconds`.
    func wait(for target: Int, seconds: Double = 10) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while count < target {
            if !condition.wait(until: deadline) { return count >= target }
        }
        return true
    }
}

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
        // Every job waits until two have started, so the first two overlap however late the
        // busy machine hands the pool the rest (a third could only start if the bound broke).
        let started2 = Latch()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    _ = await pool.run {
                        started2.arrive()
                        _ = started2.wait(for: 2)
                        usleep(50_000)
                    }
                }
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
        let running = Latch()
        let together = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    await pool.run(memoryKiB: 50) {
                        running.arrive()
                        return running.wait(for: 2)
                    }
                }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(together, "the second 50 KiB job did not start while the first ran")
        #expect(pool.peakActiveCount == 2)
        #expect(pool.peakMemoryKiB == 100)
    }

    @Test func aJobWithoutMemoryIsNotHeldBackByOneWaitingForMemory() async {
        let pool = WorkerPool(threadCount: 2, memoryBudgetKiB: 100)
        let log = EventLog()
        let firstStarted = Latch()
        let lightDone = Latch()
        // Holds the whole budget until the job that needs none has run (or 10 s passed).
        let first = Task {
            await pool.run(memoryKiB: 100) {
                firstStarted.arrive()
                _ = lightDone.wait(for: 1)
                log.add("first heavy")
            }
        }
        await pool.run { _ = firstStarted.wait(for: 1) }
        // Waits for the budget the first job holds...
        let second = Task { await pool.run(memoryKiB: 100) { log.add("second heavy") } }
        try? await Task.sleep(for: .milliseconds(20))
        // ...while a job that needs none runs on the idle thread at once.
        await pool.run {
            log.add("light")
            lightDone.arrive()
        }
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
