import Foundation

/// A fixed set of dedicated threads for CPU-heavy blocking work (password hashing).
///
/// Swift's cooperative executor and a server's event loops must never block,
/// and plain `DispatchQueue.global()` would spawn ever more threads under a
/// login storm. Here at most `threadCount` jobs run at once; the rest wait in
/// a FIFO queue, so a burst costs latency, not memory or scheduler thrash.
///
/// Threads start with the first job and live for the life of the process, so
/// create pools once (`shared` suits most uses).
public final class WorkerPool: Sendable {
    /// One thread per core: bcrypt is pure CPU, so more would only contend.
    public static let shared = WorkerPool(threadCount: ProcessInfo.processInfo.activeProcessorCount)

    public let threadCount: Int
    private let state: State

    public init(threadCount: Int) {
        precondition(threadCount > 0, "a worker pool needs at least one thread")
        self.threadCount = threadCount
        self.state = State()
    }

    /// Runs `work` on one of the pool's threads and resumes the caller with its
    /// result. The job is not cancellable once submitted: it is bounded work,
    /// and abandoning it half-way would save nothing.
    public func run<Value: Sendable, Failure: Error>(
        _ work: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
            submit {
                let result: Result<Value, Failure>
                do throws(Failure) { result = .success(try work()) } catch { result = .failure(error) }
                return { continuation.resume(returning: result) }
            }
        }
        return try result.get()
    }

    /// Jobs currently running; never more than `threadCount`.
    var activeCount: Int { state.withLock { $0.active } }
    /// The pool's threads that have started, so tests can tell where work ran.
    var threadIDs: [pthread_t] { state.withLock { $0.threadIDs } }
    /// The highest `activeCount` seen, for tests of the bound.
    var peakActiveCount: Int { state.withLock { $0.peakActive } }

    private func submit(_ job: @escaping Job) {
        let threadsToStart = state.withLock { storage -> Int in
            storage.jobs.append(job)
            let missing = threadCount - storage.startedThreads
            storage.startedThreads = threadCount
            return missing
        }
        state.condition.signal()
        // Unnamed: corelibs Foundation's Thread.name races with start() and
        // ends up with the creating thread's name.
        for _ in 0..<threadsToStart {
            Thread { [state] in
                state.withLock { $0.threadIDs.append(pthread_self()) }
                Self.workLoop(state)
            }.start()
        }
    }

    private static func workLoop(_ state: State) {
        while true {
            state.condition.lock()
            while state.storage.isEmpty { state.condition.wait() }
            let job = state.storage.popFirst()
            state.storage.active += 1
            state.storage.peakActive = max(state.storage.peakActive, state.storage.active)
            state.condition.unlock()

            let resume = job()
            // Counted as done before the caller wakes, so a caller never sees
            // its own finished job as still running.
            state.withLock { $0.active -= 1 }
            resume()
        }
    }
}

extension WorkerPool {
    /// Does the work on a pool thread and returns how to resume the caller,
    /// so bookkeeping can happen between the two.
    fileprivate typealias Job = @Sendable () -> @Sendable () -> Void

    /// The queue and counters, guarded by `condition`'s lock.
    fileprivate final class State: @unchecked Sendable {
        struct Storage {
            var jobs: [Job] = []
            var head = 0
            var startedThreads = 0
            var active = 0
            var peakActive = 0
            var threadIDs: [pthread_t] = []

            var isEmpty: Bool { head == jobs.count }

            mutating func popFirst() -> Job {
                let job = jobs[head]
                head += 1
                // Compact now and then so the array does not grow forever.
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                } else if head >= 64 && head * 2 >= jobs.count {
                    jobs.removeFirst(head)
                    head = 0
                }
                return job
            }
        }

        let condition = NSCondition()
        var storage = Storage()

        func withLock<Result>(_ body: (inout Storage) -> Result) -> Result {
            condition.lock()
            defer { condition.unlock() }
            return body(&storage)
        }
    }
}
