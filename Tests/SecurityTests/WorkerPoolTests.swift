import Foundation
import Testing

@testable import Security

private func currentThreadID() -> pthread_t { pthread_self() }

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
}
