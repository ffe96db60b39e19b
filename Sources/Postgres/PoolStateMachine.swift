/// The decisions of a connection pool, with no I/O: no sockets, no clock, no lock, no tasks.
///
/// Every input is an event, with the current time passed in; every event returns the actions
/// its owner carries out (open a connection, lease one to a request, close one, ping one, fail
/// requests, arm the timer) and reports back with more events (opened, failed, released, timer
/// fired). The owner keeps the connections and the waiting callers and holds its own lock around
/// each call, so the rules live in one place and are tested with no database and a made-up
/// clock (`PoolStateMachineTests`). The shape follows postgres-nio's `PoolStateMachine`, smaller:
/// one timer, and leases that a connection can share between several callers (PostgreSQL
/// pipelines single statements from different callers on one connection).
///
/// Rules:
/// - At most `maxConnections` connections, opening ones included; `minConnections` are kept
///   open (reopened after a loss) and never closed for idleness.
/// - Requests wait in order: the oldest waiter gets the next free connection, and new requests
///   never overtake waiters. A waiter fails with `.checkoutTimeout` after `checkoutTimeout`,
///   unless a connection is being opened for it (the first N waiters while N connections open):
///   that wait is bounded by the connect timeout, as when a caller opened its own connection.
/// - Each waiter starts at most one open; a failed open backs off (doubling from
///   `initialBackoff` to `maxBackoff`) and, while failing, only one open runs at a time. When a
///   failed open leaves no connection at all, the waiters fail with `.connectFailed` at once
///   rather than waiting for a database that is down.
/// - An idle connection above the minimum closes after `idleTimeout`; one idle for
///   `healthCheckInterval` since its last use or check is pinged, and closed if the ping fails.
/// - A shared request (one statement, no transaction) takes a free connection, else a new one,
///   else rides on the least busy shared connection below `sharingLimit` users, and only when
///   nobody waits.
/// - After `shutdown`, waiters fail with `.poolClosed`, idle connections close at once and the
///   others when they come back.
///
/// Time is a `Duration` since an origin the owner picks (its creation, say), not a clock's
/// `Instant`: `ContinuousClock.Instant` has a resilient layout, and enum payloads of it went
/// through runtime value witnesses on every event (a lease and its release took 5.5 µs at 10
/// connections in an optimized build; 0.5 µs with `Duration`, and 0.13 µs once leasing an idle
/// connection and releasing one stopped rescanning every deadline). It must
/// not go backwards between calls: checkout deadlines are then in queue order, so the first
/// waiter with no open on its way holds the earliest that can expire.
struct PoolStateMachine<RequestID: Hashable & Sendable>: Sendable {
    typealias ConnectionID = Int
    /// A point in time: how long after the owner's origin.
    typealias Instant = Duration

    struct Configuration: Sendable, Hashable {
        var minConnections = 0
        var maxConnections = 10
        var checkoutTimeout: Duration = .seconds(10)
        /// Idle connections above `minConnections` close after this long; nil keeps them.
        var idleTimeout: Duration? = .seconds(60)
        /// Idle connections are pinged after this long without use or ping; nil never pings.
        var healthCheckInterval: Duration? = .seconds(30)
        /// How many shared requests one connection carries at once.
        var sharingLimit = 32
        var initialBackoff: Duration = .milliseconds(50)
        var maxBackoff: Duration = .seconds(2)
    }

    /// Whether a request needs a connection to itself (a transaction, several dependent
    /// statements) or can share one with other single statements.
    enum Kind: Sendable, Hashable {
        case exclusive
        case shared
    }

    enum Failure: Sendable, Hashable {
        case checkoutTimeout
        case poolClosed
        /// An open failed and no connection is left to serve the request; the owner knows why.
        case connectFailed
        case cancelled
    }

    enum Action: Sendable, Hashable {
        /// Open a connection and report `connectionOpened` or `connectionFailed` with this id.
        case open(ConnectionID)
        case lease(ConnectionID, to: RequestID)
        /// The request waits; a later action leases it a connection or fails it.
        case park(RequestID)
        case fail(RequestID, Failure)
        /// Close the connection; the machine has forgotten it.
        case close(ConnectionID)
        /// Ping the idle connection and report `healthCheckFinished`.
        case healthCheck(ConnectionID)
        /// Call `timerFired` at this instant, instead of any earlier-armed time.
        case scheduleTimer(Instant)
        case cancelTimer
    }

    struct Statistics: Sendable, Hashable {
        /// Connections open, opening, leased or being checked.
        var open = 0
        var idle = 0
        var leased = 0
        var waiting = 0
    }

    private enum ConnectionState: Sendable, Hashable {
        case opening
        /// `checked`: the last use or successful ping, for the health check.
        case idle(since: Instant, checked: Instant)
        case checking(idleSince: Instant)
        case leased(users: Int, shared: Bool)
    }

    private struct Connection: Sendable {
        let id: ConnectionID
        var state: ConnectionState

        /// A pattern match, not the synthesized `==`, which compares payloads.
        var isOpening: Bool {
            if case .opening = state { return true }
            return false
        }
    }

    private struct Waiter: Sendable {
        let id: RequestID
        let kind: Kind
        let deadline: Instant
    }

    let configuration: Configuration
    /// In id order, so every decision is deterministic; a pool is small enough for linear scans.
    private var connections: [Connection] = []
    private var waiters = FIFOQueue<Waiter>()
    private var nextConnectionID: ConnectionID = 0
    private var shuttingDown = false
    /// Opens that failed in a row, and when the next may start.
    private var failedOpens = 0
    private var retryAt: Instant?
    /// The instant the owner's timer fires at, if armed. No pending deadline is earlier: every
    /// event that adds or exposes one either arms for it or runs the full scan in `finish`.
    private var armedTimer: Instant?
    private var openingCount = 0

    init(configuration: Configuration) {
        precondition(configuration.maxConnections > 0, "a pool needs at least one connection")
        precondition(configuration.minConnections <= configuration.maxConnections, "minConnections exceeds maxConnections")
        self.configuration = configuration
    }

    var statistics: Statistics {
        var statistics = Statistics(open: connections.count, waiting: waiters.count)
        for connection in connections {
            switch connection.state {
            case .idle: statistics.idle += 1
            case .leased: statistics.leased += 1
            case .opening, .checking: break
            }
        }
        return statistics
    }

    // MARK: - Events

    /// Opens the minimum number of connections.
    mutating func start(now: Instant) -> [Action] {
        var actions: [Action] = []
        finish(&actions, now: now)
        return actions
    }

    mutating func request(_ id: RequestID, kind: Kind, now: Instant) -> [Action] {
        guard !shuttingDown else { return [.fail(id, .poolClosed)] }
        // Waiters first: a free connection with waiters queued is never left unclaimed, so
        // only an empty queue can have one.
        if waiters.isEmpty, let index = mostRecentlyIdle() {
            connections[index].state = .leased(users: 1, shared: kind == .shared)
            // No new deadline, and nothing to open: the fast path skips `finish`.
            return [.lease(connections[index].id, to: id)]
        }
        if kind == .shared, waiters.isEmpty, !canOpen(now: now), let index = leastBusyShared() {
            if case .leased(let users, _) = connections[index].state {
                connections[index].state = .leased(users: users + 1, shared: true)
            }
            return [.lease(connections[index].id, to: id)]
        }
        waiters.append(Waiter(id: id, kind: kind, deadline: now + configuration.checkoutTimeout))
        var actions: [Action] = [.park(id)]
        guard failedOpens == 0 else {
            // Backing off: the retry may be the next deadline.
            finish(&actions, now: now)
            return actions
        }
        openWhatIsNeeded(&actions, now: now)
        // The only deadline this can add: the first waiter no open is on its way for.
        if waiters.count > openingCount { arm(waiters[openingCount].deadline, &actions) }
        return actions
    }

    /// The request's caller gave up (its task was cancelled).
    mutating func cancel(_ id: RequestID) -> [Action] {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return [] }
        waiters.remove(at: index)
        return [.fail(id, .cancelled)]
    }

    mutating func connectionOpened(_ id: ConnectionID, now: Instant) -> [Action] {
        guard let index = index(of: id), connections[index].isOpening else {
            // Not one this machine asked for: the owner must not keep it.
            return [.close(id)]
        }
        failedOpens = 0
        retryAt = nil
        openingCount -= 1
        if shuttingDown {
            connections.remove(at: index)
            return [.close(id)]
        }
        connections[index].state = .idle(since: now, checked: now)
        var actions: [Action] = []
        serveWaiters(at: index, &actions)
        finish(&actions, now: now)
        return actions
    }

    mutating func connectionFailed(_ id: ConnectionID, now: Instant) -> [Action] {
        guard let index = index(of: id), connections[index].isOpening else { return [] }
        connections.remove(at: index)
        openingCount -= 1
        failedOpens += 1
        retryAt = now + backoff(afterFailures: failedOpens)
        var actions: [Action] = []
        if connections.isEmpty {
            for waiter in waiters { actions.append(.fail(waiter.id, .connectFailed)) }
            waiters.removeAll()
        }
        finish(&actions, now: now)
        return actions
    }

    /// A lease ended with the connection still usable. An id that is not leased (unknown,
    /// released twice, idle) changes nothing and returns no action.
    mutating func released(_ id: ConnectionID, now: Instant) -> [Action] {
        guard let index = index(of: id), case .leased(let users, let shared) = connections[index].state else { return [] }
        var actions: [Action] = []
        if users > 1 {
            connections[index].state = .leased(users: users - 1, shared: shared)
            // The freed share goes to the queue's head if it can share; anyone else waits for a
            // whole connection, in order.
            if !shuttingDown, let head = waiters.first, head.kind == .shared {
                _ = waiters.popFirst()
                connections[index].state = .leased(users: users, shared: true)
                actions.append(.lease(id, to: head.id))
            }
            return actions
        }
        if shuttingDown {
            connections.remove(at: index)
            return [.close(id)]
        }
        connections[index].state = .idle(since: now, checked: now)
        if waiters.isEmpty {
            // It stays idle: its idle timeout and ping are the only deadlines this adds.
            var deadline: Instant?
            if connections.count > configuration.minConnections, let idleTimeout = configuration.idleTimeout {
                deadline = now + idleTimeout
            }
            if let interval = configuration.healthCheckInterval, deadline.map({ now + interval < $0 }) ?? true {
                deadline = now + interval
            }
            if let deadline { arm(deadline, &actions) }
        } else {
            // Served at once: no deadline added, and the waiters need no more opens than before.
            serveWaiters(at: index, &actions)
        }
        return actions
    }

    /// The connection is gone (closed by its borrower, lost): forgotten, whatever its state,
    /// and replaced when the minimum or the waiters need it. Unknown ids change nothing.
    mutating func closed(_ id: ConnectionID, now: Instant) -> [Action] {
        guard let index = index(of: id) else { return [] }
        if connections[index].isOpening { openingCount -= 1 }
        connections.remove(at: index)
        var actions: [Action] = []
        finish(&actions, now: now)
        return actions
    }

    mutating func healthCheckFinished(_ id: ConnectionID, healthy: Bool, now: Instant) -> [Action] {
        guard let index = index(of: id), case .checking(let idleSince) = connections[index].state else { return [] }
        guard healthy, !shuttingDown else {
            connections.remove(at: index)
            var actions: [Action] = [.close(id)]
            finish(&actions, now: now)
            return actions
        }
        // A ping is not a use: the idle timeout still counts from the last lease.
        connections[index].state = .idle(since: idleSince, checked: now)
        var actions: [Action] = []
        serveWaiters(at: index, &actions)
        finish(&actions, now: now)
        return actions
    }

    /// Expires waiters, closes connections idle too long, pings the ones due, and retries an
    /// open whose backoff has passed. Firing early or twice is harmless.
    mutating func timerFired(now: Instant) -> [Action] {
        armedTimer = nil
        guard !shuttingDown else { return [] }
        var actions: [Action] = []
        // The first `opening` waiters each have a connection on its way, bounded by the
        // connect timeout: the checkout timeout is for waiting on a pool that is full.
        let covered = opening
        var remaining: [Waiter] = []
        for (position, waiter) in waiters.enumerated() {
            if position >= covered, waiter.deadline <= now {
                actions.append(.fail(waiter.id, .checkoutTimeout))
            } else {
                remaining.append(waiter)
            }
        }
        waiters = FIFOQueue(remaining)
        if let idleTimeout = configuration.idleTimeout {
            // Oldest first, so the warm, recently used connections stay.
            var expired: [(id: ConnectionID, since: Instant)] = []
            for connection in connections {
                if case .idle(let since, _) = connection.state, since + idleTimeout <= now {
                    expired.append((connection.id, since))
                }
            }
            expired.sort { $0.since < $1.since }
            for connection in expired where connections.count > configuration.minConnections {
                connections.removeAll { $0.id == connection.id }
                actions.append(.close(connection.id))
            }
        }
        if let interval = configuration.healthCheckInterval {
            for index in connections.indices {
                guard case .idle(let since, let checked) = connections[index].state, checked + interval <= now else {
                    continue
                }
                connections[index].state = .checking(idleSince: since)
                actions.append(.healthCheck(connections[index].id))
            }
        }
        finish(&actions, now: now)
        return actions
    }

    /// Fails every waiter and closes idle connections; the rest close as they come back.
    mutating func shutdown() -> [Action] {
        guard !shuttingDown else { return [] }
        shuttingDown = true
        var actions = waiters.map { Action.fail($0.id, .poolClosed) }
        waiters.removeAll()
        connections.removeAll { connection in
            guard case .idle = connection.state else { return false }
            actions.append(.close(connection.id))
            return true
        }
        if armedTimer != nil {
            armedTimer = nil
            actions.append(.cancelTimer)
        }
        return actions
    }

    /// For tests: whether the armed timer is no later than the earliest pending deadline, the
    /// invariant that lets the hot events arm only for the deadline they add.
    func timerCoversPendingDeadlines(now: Instant) -> Bool {
        guard !shuttingDown, let next = nextDeadline(now: now) else { return true }
        return armedTimer.map { $0 <= next } ?? false
    }

    // MARK: - Helpers

    private func index(of id: ConnectionID) -> Int? {
        connections.firstIndex { $0.id == id }
    }

    /// The idle connection used last: reusing warm connections lets the surplus ones reach the
    /// idle timeout.
    private func mostRecentlyIdle() -> Int? {
        var best: (index: Int, since: Instant)?
        for index in connections.indices {
            guard case .idle(let since, _) = connections[index].state else { continue }
            if let current = best, current.since > since { continue }
            best = (index, since)
        }
        return best?.index
    }

    private func leastBusyShared() -> Int? {
        var best: (index: Int, users: Int)?
        for index in connections.indices {
            guard case .leased(let users, true) = connections[index].state, users < configuration.sharingLimit else { continue }
            if let current = best, current.users <= users { continue }
            best = (index, users)
        }
        return best?.index
    }

    /// Connections in `.opening`, counted as they change rather than by a scan on every event.
    private var opening: Int { openingCount }

    /// Whether a new open may start now: room below the maximum, no backoff pending, and,
    /// after a failure, no other open still probing.
    private func canOpen(now: Instant) -> Bool {
        guard !shuttingDown, connections.count < configuration.maxConnections else { return false }
        guard failedOpens > 0 else { return true }
        if let retryAt, now < retryAt { return false }
        return opening == 0
    }

    private func backoff(afterFailures failures: Int) -> Duration {
        var delay = configuration.initialBackoff
        for _ in 1..<max(failures, 1) where delay < configuration.maxBackoff { delay *= 2 }
        return min(delay, configuration.maxBackoff)
    }

    /// Hands the idle connection at `index` to the queue's head, shared if it can share.
    /// The shared requests behind it do not pile on: statements pipelined on one connection run
    /// one after another on the server, so a burst would serialize on the first connection
    /// free while others free up moments later; each waiter takes a whole connection, and new
    /// requests share busy ones only once nobody waits.
    private mutating func serveWaiters(at index: Int, _ actions: inout [Action]) {
        guard let head = waiters.popFirst() else { return }
        connections[index].state = .leased(users: 1, shared: head.kind == .shared)
        actions.append(.lease(connections[index].id, to: head.id))
    }

    /// After every event: opens what the minimum and the waiters need, and arms the timer for
    /// the next deadline if it is earlier than the armed one (a later one is left to the armed
    /// timer, which re-arms when it fires: no cancel on the hot path).
    private mutating func finish(_ actions: inout [Action], now: Instant) {
        guard !shuttingDown else { return }
        openWhatIsNeeded(&actions, now: now)
        if let deadline = nextDeadline(now: now) { arm(deadline, &actions) }
    }

    private mutating func openWhatIsNeeded(_ actions: inout [Action], now: Instant) {
        while canOpen(now: now), connections.count < configuration.minConnections || waiters.count > openingCount {
            let id = nextConnectionID
            nextConnectionID += 1
            connections.append(Connection(id: id, state: .opening))
            openingCount += 1
            actions.append(.open(id))
        }
    }

    private mutating func arm(_ deadline: Instant, _ actions: inout [Action]) {
        guard armedTimer.map({ deadline < $0 }) ?? true else { return }
        armedTimer = deadline
        actions.append(.scheduleTimer(deadline))
    }

    private func nextDeadline(now: Instant) -> Instant? {
        let opening = opening
        var next = waiters.count > opening ? waiters[opening].deadline : nil
        func consider(_ instant: Instant) {
            if next.map({ instant < $0 }) ?? true { next = instant }
        }
        let aboveMinimum = connections.count > configuration.minConnections
        for connection in connections {
            guard case .idle(let since, let checked) = connection.state else { continue }
            if aboveMinimum, let idleTimeout = configuration.idleTimeout { consider(since + idleTimeout) }
            if let interval = configuration.healthCheckInterval { consider(checked + interval) }
        }
        let needsOpen = connections.count < configuration.minConnections || waiters.count > opening
        if needsOpen, let retryAt, retryAt > now { consider(retryAt) }
        return next
    }
}
