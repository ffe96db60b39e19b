import Dispatch
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Postgres

/// Results reach a caller that ran on an event loop through that loop, so that with NIO as the
/// global executor (the server) its task stays on the loop that owns its HTTP connection.
@Suite struct ResultsResumptionTests {
    @Test func aWaiterRemembersTheEventLoopItWasMadeOn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let home = try await loop.submit { ResultsWaiter(count: 1).home }.get()
        #expect(home === loop)
        #expect(ResultsWaiter(count: 1).home == nil)
        try await group.shutdownGracefully()
    }

    @Test func resultsFromAnotherThreadWaitForTheCallersLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        // The loop is held busy: a resumption that goes through it cannot run yet.
        let gate = DispatchSemaphore(value: 0)
        loop.execute { gate.wait() }
        let resumed = Mutex(false)
        let task = Task {
            let results = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    ResultsWaiter.Resumption(continuation: continuation, results: [], home: loop).resume()
                }
            }
            resumed.withLock { $0 = true }
            return results.count
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!resumed.withLock { $0 })
        gate.signal()
        #expect(await task.value == 0)
        #expect(resumed.withLock { $0 })
        try await group.shutdownGracefully()
    }
}
