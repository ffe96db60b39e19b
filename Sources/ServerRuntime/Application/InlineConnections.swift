public import NIOCore
import Synchronization

/// The connections whose requests run in the connection's own task rather than in a child task
/// each (`GatedResponder`): at most `limit` open at once, each kept until it closes.
///
/// Why some and not all: a task keeps its allocator's slabs at the deepest point it reached
/// until it ends (see `RequestGate`), so a connection that ran a handler in its own task holds a
/// handler's frames (12 KB for the health route, 36 KB for an uncached item read; `perf probe`
/// on `swift_task_alloc`) while idle, for as long as it stays open. Running every request in a
/// child task bounds that at any connection count, but costs each request a task and fresh
/// slabs: the health route answered 10 to 30% more requests per second without it (64
/// connections, alternated runs). Here the first `limit` connections keep the fast path, and
/// what idle connections can hold stays bounded by `limit` handler depths however many are open.
public final class InlineConnections: Sendable {
    /// How many open connections may run their requests in their own task.
    public let limit: Int
    private let members = Mutex<Set<ObjectIdentifier>>([])

    /// `limit` 0 sends every request to a child task.
    public init(limit: Int) {
        precondition(limit >= 0, "a connection limit is not negative")
        self.limit = limit
    }

    /// Open connections that run their requests in their own task now (for tests and metrics).
    public var count: Int { members.withLock { $0.count } }

    /// Whether a request on `connection` runs in the connection's task: it already did once, or
    /// fewer than `limit` connections do. A connection admitted here stays until it closes.
    public func admit(_ connection: any Channel) -> Bool {
        let id = ObjectIdentifier(connection)
        let (admitted, joined) = members.withLock { members -> (Bool, Bool) in
            if members.contains(id) { return (true, false) }
            guard members.count < limit else { return (false, false) }
            members.insert(id)
            return (true, true)
        }
        if joined {
            // The channel lives until its close future's callbacks have run, so no later channel
            // can reuse its identifier while it is still a member.
            connection.closeFuture.whenComplete { [self] _ in
                _ = members.withLock { $0.remove(id) }
            }
        }
        return admitted
    }
}
