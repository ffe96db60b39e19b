import DequeModule
import Synchronization

/// Lets at most `limit` requests run their handlers at once; the others wait, in arrival order,
/// until one finishes.
///
/// Why a server bounds this at all: a request's async frames live in its task's allocator, and
/// a task keeps the allocator's slabs at the deepest point it reached until the task ends. A
/// connection's task that ran a handler once held about 45 KB of slabs while idle (massif,
/// 1,000 keep-alive connections after an uncached item read), and with 1,024 busy connections
/// each one held a full handler depth at the same time. `GatedResponder` runs each admitted
/// request in a child task that ends with it, behind this gate: the connection's own task only
/// ever reaches the responder, and only `limit` handler stacks exist at once however many
/// connections are open. Past the database pool's size more concurrency buys no throughput,
/// only memory and queueing inside the handlers. The requests of the first
/// `inlineConnections.limit` connections run in their connection's task all the same: what those
/// hold while idle is bounded by that many handler depths (see `InlineConnections`).
public final class RequestGate: Sendable {
    private struct State {
        var running = 0
        var waiting = Deque<CheckedContinuation<Void, Never>>()
    }

    /// How many requests may run at once.
    public let limit: Int
    /// The connections whose requests skip the child task (`GatedResponder`).
    public let inlineConnections: InlineConnections
    private let state: Mutex<State>

    /// How many connections run their requests in their own task unless told otherwise: half the
    /// default `limit` (128), so that idle connections hold at most 64 handler depths (about
    /// 2.3 MB at the 36 KB of an uncached item read) on top of what `limit` running requests use.
    public static let defaultInlineConnections = 64

    /// `limit` is at least 1; `inlineConnections` at least 0 (0: every request in a child task).
    public init(limit: Int, inlineConnections: Int = RequestGate.defaultInlineConnections) {
        precondition(limit >= 1, "a request gate admits at least one request")
        self.limit = limit
        self.inlineConnections = InlineConnections(limit: inlineConnections)
        state = Mutex(State())
    }

    /// Requests running now and waiting now (for metrics and tests).
    public var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.waiting.count) }
    }

    /// Runs `body` once a place is free, and frees it after. A waiting request is not dropped
    /// when its task is cancelled: places free up as running requests finish, so it soon runs
    /// and sees the cancellation itself.
    public func run<T>(_ body: () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    func enter() async {
        let admitted = state.withLock { state -> Bool in
            guard state.running < limit else { return false }
            state.running += 1
            return true
        }
        if admitted { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admittedNow = state.withLock { state -> Bool in
                // A place may have freed between the first check and now.
                guard state.running < limit else {
                    state.waiting.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if admittedNow { continuation.resume() }
        }
    }

    /// Hands the place to the oldest waiter (which then counts as running), or frees it.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let next = state.waiting.popFirst() { return next }
            state.running -= 1
            return nil
        }
        next?.resume()
    }
}
