import Foundation

/// One dedicated thread that runs a connection's blocking hiredis calls in
/// order.
///
/// A blocking hiredis context waits on its socket for every reply. Running
/// those calls on Swift's cooperative pool or on an event loop would stall
/// unrelated work, and `DispatchQueue.global()` grows threads without bound
/// when they block. A pooled connection therefore owns exactly one thread: the
/// pool size bounds the thread count, and the thread also serialises every
/// use of the `redisContext`, which hiredis requires (a context is not
/// thread-safe).
final class RedisThread: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = name
        // hiredis and the reply conversion need little stack; the default
        // 8 MiB of address space per connection is wasteful with large pools.
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `work` on the thread and resumes the caller with its result. Not
    /// cancellable once submitted: a command cannot be abandoned half-way
    /// without losing track of which reply belongs to whom; the command
    /// timeout bounds how long it can take.
    func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = submit {
                continuation.resume(with: Result { try work() })
            }
            if !accepted { continuation.resume(throwing: RedisError.connectionClosed) }
        }
    }

    /// Queues `job` without waiting for it (clean-up on check-in). Returns
    /// false, dropping the job, once the thread has been stopped: nothing
    /// would ever run it.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets the queued jobs finish, then ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
