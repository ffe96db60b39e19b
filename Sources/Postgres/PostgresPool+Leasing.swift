import Synchronization

/// The pool's side of `PoolStateMachine`: every event goes to the machine under the lock, and
/// its actions are carried out, the quick bookkeeping under the same lock and everything that
/// resumes a caller, touches a socket or starts a task after it.
extension PostgresPool {
    typealias Machine = PoolStateMachine<UInt64>

    /// The machine's time: how long since the pool was created.
    var now: Duration { ContinuousClock.now - origin }

    /// A connection lent to a caller, with the machine's id for it.
    struct Lease: Sendable {
        let id: Machine.ConnectionID
        let connection: PostgresConnection
    }

    struct State {
        var machine: Machine
        /// The machine's open connections (not the opening ones, which have no object yet).
        var connections: [Machine.ConnectionID: PostgresConnection] = [:]
        var requests: [UInt64: Request] = [:]
        var nextRequestID: UInt64 = 0
        var timer: Task<Void, Never>?
        /// Why the last open failed, for the callers the machine fails with `.connectFailed`.
        var lastConnectError: PostgresError?
    }

    /// A caller waiting for a lease. The machine can decide before the caller has suspended
    /// (a cancellation, a connection freed on another thread): the decision waits in `pending`.
    enum Request {
        case pending(Result<Lease, any Error>?)
        case suspended(CheckedContinuation<Lease, any Error>)
    }

    /// What the machine's actions need done outside the lock.
    struct Work: Sendable {
        var resumptions: [(CheckedContinuation<Lease, any Error>, Result<Lease, any Error>)] = []
        var opens: [Machine.ConnectionID] = []
        var closes: [PostgresConnection] = []
        var pings: [(Machine.ConnectionID, PostgresConnection)] = []
    }

    /// A connection for the caller: at once when the machine leases one, else after waiting in
    /// the queue (cancellation leaves it).
    func lease(_ kind: Machine.Kind) async throws -> Lease {
        let (id, decided, work) = state.withLock { state -> (UInt64, Result<Lease, any Error>?, Work) in
            state.nextRequestID += 1
            let id = state.nextRequestID
            let actions = state.machine.request(id, kind: kind, now: now)
            // The common case, a connection leased at once with nothing else to do, skips the
            // request bookkeeping.
            if actions.count == 1, case .lease(let connectionID, _) = actions[0], let connection = state.connections[connectionID] {
                return (id, .success(Lease(id: connectionID, connection: connection)), Work())
            }
            state.requests[id] = .pending(nil)
            let work = carryOut(actions, &state)
            guard case .pending(let result?) = state.requests[id] else { return (id, nil, work) }
            state.requests[id] = nil
            return (id, result, work)
        }
        run(work)
        if let decided { return try decided.get() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let decided = state.withLock { state -> Result<Lease, any Error>? in
                    guard case .pending(let result) = state.requests[id] else {
                        return .failure(PostgresError.poolClosed)
                    }
                    guard let result else {
                        state.requests[id] = .suspended(continuation)
                        return nil
                    }
                    state.requests[id] = nil
                    return result
                }
                if let decided { continuation.resume(with: decided) }
            }
        } onCancel: {
            handle { $0.machine.cancel(id) }
        }
    }

    /// Gives the lease back: a connection its borrower closed is forgotten (the machine opens a
    /// replacement when needed), any other comes back clean.
    func release(_ lease: Lease) {
        if lease.connection.isClosed {
            handle { state in
                state.connections[lease.id] = nil
                return state.machine.closed(lease.id, now: now)
            }
            return
        }
        lease.connection.prepareForReuse()
        handle { $0.machine.released(lease.id, now: now) }
    }

    /// Feeds one event to the machine and carries out its actions.
    func handle(_ event: (inout State) -> [Machine.Action]) {
        let work = state.withLock { state in carryOut(event(&state), &state) }
        run(work)
    }

    /// Under the lock. A lease for a request that has already been decided (cannot happen
    /// while the machine and this bookkeeping agree) goes straight back, so no connection is
    /// stranded.
    private func carryOut(_ initial: [Machine.Action], _ state: inout State) -> Work {
        var work = Work()
        var actions = initial
        var index = 0
        while index < actions.count {
            switch actions[index] {
            case .open(let id):
                work.opens.append(id)
            case .lease(let id, let request):
                if let connection = state.connections[id] {
                    if !deliver(.success(Lease(id: id, connection: connection)), to: request, &state, &work) {
                        actions += state.machine.released(id, now: now)
                    }
                } else {
                    _ = deliver(.failure(PostgresError.connectionClosed), to: request, &state, &work)
                    actions += state.machine.closed(id, now: now)
                }
            case .park:
                break
            case .fail(let request, let failure):
                _ = deliver(.failure(error(for: failure, state)), to: request, &state, &work)
            case .close(let id):
                if let connection = state.connections.removeValue(forKey: id) { work.closes.append(connection) }
            case .healthCheck(let id):
                if let connection = state.connections[id] {
                    work.pings.append((id, connection))
                } else {
                    actions += state.machine.healthCheckFinished(id, healthy: false, now: now)
                }
            case .scheduleTimer(let deadline):
                state.timer?.cancel()
                let wake = origin + deadline
                state.timer = Task { [weak self] in
                    try? await Task.sleep(until: wake, clock: .continuous)
                    guard !Task.isCancelled, let self else { return }
                    self.handle { $0.machine.timerFired(now: self.now) }
                }
            case .cancelTimer:
                state.timer?.cancel()
                state.timer = nil
            }
            index += 1
        }
        return work
    }

    /// Records a lease or failure for a request; false when it is no longer waiting.
    private func deliver(
        _ result: Result<Lease, any Error>, to request: UInt64, _ state: inout State, _ work: inout Work
    ) -> Bool {
        switch state.requests[request] {
        case .pending(nil):
            state.requests[request] = .pending(result)
            return true
        case .suspended(let continuation):
            state.requests[request] = nil
            work.resumptions.append((continuation, result))
            return true
        case .pending(.some), nil:
            return false
        }
    }

    private func error(for failure: Machine.Failure, _ state: State) -> any Error {
        switch failure {
        case .checkoutTimeout: PostgresError.checkoutTimeout
        case .poolClosed: PostgresError.poolClosed
        case .connectFailed: state.lastConnectError ?? PostgresError.connectFailed("no connection could be opened")
        case .cancelled: CancellationError()
        }
    }

    private func run(_ work: Work) {
        for (continuation, result) in work.resumptions { continuation.resume(with: result) }
        for connection in work.closes { connection.closeSoon() }
        for id in work.opens { Task { await self.open(id) } }
        for (id, connection) in work.pings { Task { await self.ping(id, connection) } }
    }

    private func open(_ id: Machine.ConnectionID) async {
        do {
            let connection = try await PostgresConnection.connect(configuration)
            handle { state in
                state.connections[id] = connection
                return state.machine.connectionOpened(id, now: now)
            }
        } catch {
            handle { state in
                state.lastConnectError = (error as? PostgresError) ?? .connectFailed("\(error)")
                return state.machine.connectionFailed(id, now: now)
            }
        }
    }

    /// A keep-alive statement on an idle connection. A session that ended while idle is
    /// reopened on the way (the connection's own check before a first use), so a healthy
    /// answer means a usable session.
    private func ping(_ id: Machine.ConnectionID, _ connection: PostgresConnection) async {
        // Asks for that check even when the last lease already used it up.
        connection.prepareForReuse()
        let healthy: Bool
        do {
            _ = try await connection.run([(.unnamed, "SELECT 1", .empty)], cancellable: false)[0].get()
            healthy = true
        } catch {
            healthy = false
        }
        handle { $0.machine.healthCheckFinished(id, healthy: healthy, now: now) }
    }
}
