import Foundation

/// A fixed set of dedicated threads for CPU-heavy blocking work (password hashing).
///
/// Swift's cooperative executor and a server's event loops must never block,
/// and plain `DispatchQueue.global()` would spawn ever more threads under a
/// login storm. Here at most `threadCount` jobs run at once; the rest wait in
/// a FIFO queue, so a burst costs latency, not memory or scheduler thrash.
///
/// Jobs may also declare the memory they touch (argon2: its `m`, 64 MiB at
/// pwdlib's parameters), and the jobs running at once never declare more than
/// `memoryBudgetKiB` together: without it, every thread hashing at once put
/// another 64 MiB into the server's resident set (295 MiB peak in one
/// `make bench`). A job declaring more than the whole budget runs alone.
/// Jobs declaring nothing (bcrypt: 4 KiB) are never held back by the budget,
/// and among the rest the oldest goes first.
///
/// Threads start with the first job and live for the life of the process, so
/// create pools once (`shared` suits most uses).
public final class WorkerPool: Sendable {
    /// One thread per core: bcrypt is pure CPU, so more would only contend.
    public static let shared = WorkerPool(threadCount: ProcessInfo.processInfo.activeProcessorCount)

    public let threadCount: Int
    /// The most memory (KiB) the jobs running at once may declare together.
    public let memoryBudgetKiB: Int
    private let state: State

    public init(threadCount: Int, memoryBudgetKiB: Int = .max) {
        precondition(threadCount > 0, "a worker pool needs at least one thread")
        precondition(memoryBudgetKiB > 0, "a worker pool needs a positive memory budget")
        self.threadCount = threadCount
        self.memoryBudgetKiB = memoryBudgetKiB
        self.state = State(budget: memoryBudgetKiB)
    }

    /// Runs `work` on one of the pool's threads and resumes the caller with its
    /// result. `memoryKiB` is what the work allocates while it runs (0: too
    /// little to count). The job is not cancellable once submitted: it is
    /// bounded work, and abandoning it half-way would save nothing.
    public func run<Value: Sendable, Failure: Error>(
        memoryKiB: Int = 0, _ work: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
            submit(memoryKiB: memoryKiB) {
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
    /// The most memory the running jobs declared at once, for tests of the budget.
    var peakMemoryKiB: Int { state.withLock { $0.peakMemory } }

    private func submit(memoryKiB: Int, _ job: @escaping Job) {
        let threadsToStart = state.withLock { storage -> Int in
            storage.enqueue(job, memoryKiB: max(0, memoryKiB))
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
            let (job, memory) = waitForRunnable(state)
            state.condition.unlock()

            let resume = job()
            // Counted as done before the caller wakes, so a caller never sees
            // its own finished job as still running.
            let releasedMemory = state.withLock { storage -> Bool in
                storage.finish(memoryKiB: memory)
                return memory > 0 && storage.heavy.count > 0
            }
            // A job held back by the budget may run now; any idle thread may take it.
            if releasedMemory { state.condition.broadcast() }
            resume()
        }
    }

    /// The next job this thread runs; called and returns with the lock held.
    private static func waitForRunnable(_ state: State) -> (Job, Int) {
        while true {
            if let runnable = state.storage.takeRunnable() { return runnable }
            state.condition.wait()
        }
    }
}

extension WorkerPool {
    /// Does the work on a pool thread and returns how to resume the caller,
    /// so bookkeeping can happen between the two.
    fileprivate typealias Job = @Sendable () -> @Sendable () -> Void

    /// The queues and counters, guarded by `condition`'s lock.
    fileprivate final class State: @unchecked Sendable {
        struct Storage {
            let budget: Int
            /// Jobs that declare no memory, and jobs that do: two queues, so a
            /// job waiting for memory never holds back one that needs none.
            var light = JobQueue()
            var heavy = JobQueue()
            var nextSequence = 0
            var startedThreads = 0
            var active = 0
            var peakActive = 0
            var memoryInUse = 0
            var peakMemory = 0
            var threadIDs: [pthread_t] = []

            mutating func enqueue(_ job: @escaping Job, memoryKiB: Int) {
                let entry = JobQueue.Entry(job: job, memoryKiB: min(memoryKiB, budget), sequence: nextSequence)
                nextSequence += 1
                if memoryKiB == 0 { light.append(entry) } else { heavy.append(entry) }
            }

            /// The oldest job that may start now, counted as running; nil when
            /// none may.
            mutating func takeRunnable() -> (Job, Int)? {
                let heavyFits = heavy.first.map { memoryInUse + $0.memoryKiB <= budget } ?? false
                let entry: JobQueue.Entry
                switch (light.first, heavyFits ? heavy.first : nil) {
                case (let lightHead?, let heavyHead?):
                    entry = lightHead.sequence < heavyHead.sequence ? light.popFirst() : heavy.popFirst()
                case (.some, nil): entry = light.popFirst()
                case (nil, .some): entry = heavy.popFirst()
                case (nil, nil): return nil
                }
                active += 1
                peakActive = max(peakActive, active)
                memoryInUse += entry.memoryKiB
                peakMemory = max(peakMemory, memoryInUse)
                return (entry.job, entry.memoryKiB)
            }

            mutating func finish(memoryKiB: Int) {
                active -= 1
                memoryInUse -= memoryKiB
            }
        }

        let condition = NSCondition()
        var storage: Storage

        init(budget: Int) {
            storage = Storage(budget: budget)
        }

        func withLock<Result>(_ body: (inout Storage) -> Result) -> Result {
            condition.lock()
            defer { condition.unlock() }
            return body(&storage)
        }
    }

    /// A FIFO of jobs: an array read from `head`, compacted now and then.
    fileprivate struct JobQueue {
        struct Entry {
            let job: Job
            /// What the job declared, clamped to the budget (a bigger job runs alone).
            let memoryKiB: Int
            /// Submission order across both queues.
            let sequence: Int
        }

        private var entries: [Entry] = []
        private var head = 0

        var count: Int { entries.count - head }
        var first: Entry? { head < entries.count ? entries[head] : nil }

        mutating func append(_ entry: Entry) { entries.append(entry) }

        mutating func popFirst() -> Entry {
            let entry = entries[head]
            head += 1
            // Compact now and then so the array does not grow forever.
            if head == entries.count {
                entries.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
            return entry
        }
    }
}
