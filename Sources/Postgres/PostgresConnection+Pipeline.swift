import CLibPQ
import Foundation

/// What a connection's lock-holder found it has to resume once the lock is
/// released (continuations never run under the lock).
struct Wakeups: Sendable {
    var results: [ResultsWaiter.Resumption] = []
    var idle: [CheckedContinuation<Void, Never>] = []
    var connect: (CheckedContinuation<Void, any Error>, Result<Void, PostgresError>)?

    func resume() {
        if let connect { connect.0.resume(with: connect.1) }
        for resumption in results { resumption.resume() }
        for continuation in idle { continuation.resume() }
    }
}

/// A connect (or reconnect) in progress, driven by `PQconnectPoll`.
struct ConnectAttempt {
    let handle: OpaquePointer
    let continuation: CheckedContinuation<Void, any Error>
    let timeout: Task<Void, Never>
    /// What `PQconnectPoll` last asked to wait for, and how often it has
    /// run: a timeout names the step it stalled in.
    var waitingToWrite = true
    var polls = 0
}

/// What libpq will return next, in order.
enum Expected {
    /// A `Parse` sent for the statement cache: one result, then NULL.
    case prepare(PreparedStatement)
    /// One statement: one result, then NULL.
    case statement(StatementRun)
    /// The `Sync` after a statement, or after a group of them sent as one
    /// (`submit(_:grouped:)`): `PGRES_PIPELINE_SYNC`, no NULL. The statements
    /// are complete (and the transaction status known) here.
    case sync([StatementRun])
    /// A script outside pipeline mode: results until NULL.
    case script(StatementRun)
}

extension PostgresConnection: SocketWatcher {
    // MARK: - Connecting

    /// Connects without blocking: `PQconnectStartParams`, then
    /// `PQconnectPoll` each time the loop sees the socket ready, bounded by
    /// the configuration's connect timeout (which libpq applies only to its
    /// blocking calls). A host name is still resolved inside
    /// `PQconnectStartParams` (getaddrinfo has no non-blocking form); an IP
    /// address or a socket folder, as in every shipped configuration, never is.
    func open() async throws {
        let handle = try startConnecting()
        // The timer names the attempt by address: a libpq handle is not Sendable.
        let attemptID = Int(bitPattern: handle)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let limit = configuration.connectTimeout
            let timer = Task { [weak self] in
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                self?.connectTimedOut(attemptID)
            }
            let wakeups = locked { () -> Wakeups in
                var wakeups = Wakeups()
                guard !closed else {
                    timer.cancel()
                    PQfinish(handle)
                    wakeups.connect = (continuation, .failure(.connectionClosed))
                    return wakeups
                }
                connecting = ConnectAttempt(handle: handle, continuation: continuation, timeout: timer)
                // libpq: before the first PQconnectPoll, wait as if it had
                // returned PGRES_POLLING_WRITING.
                advanceConnect(PGRES_POLLING_WRITING, &wakeups)
                return wakeups
            }
            wakeups.resume()
        }
    }

    private func startConnecting() throws -> OpaquePointer {
        let parameters = configuration.connectionParameters()
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            for pointer in keywords { free(pointer) }
            for pointer in values { free(pointer) }
        }
        let connection = (keywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { keywordPointers in
            (values.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { valuePointers in
                PQconnectStartParams(keywordPointers.baseAddress, valuePointers.baseAddress, 0)
            }
        }
        guard let connection else { throw PostgresError.connectFailed("libpq could not allocate a connection") }
        guard PQstatus(connection) != CONNECTION_BAD else {
            let message = Self.errorMessage(connection)
            PQfinish(connection)
            throw PostgresError.connectFailed(configuration.redact(message))
        }
        // libpq prints NOTICEs (`relation already exists, skipping`) to
        // stderr by default; they are not errors and would only add noise.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        return connection
    }

    /// Waits for what `PQconnectPoll` asked for, or finishes the attempt.
    /// Under the lock.
    private func advanceConnect(_ polling: PostgresPollingStatusType, _ wakeups: inout Wakeups) {
        guard let attempt = connecting else { return }
        switch polling {
        case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
            connecting?.waitingToWrite = polling == PGRES_POLLING_WRITING
            connecting?.polls += 1
            watch(PQsocket(attempt.handle), writing: polling == PGRES_POLLING_WRITING, reading: polling == PGRES_POLLING_READING)
        case PGRES_POLLING_OK:
            connecting = nil
            attempt.timeout.cancel()
            guard PQsetnonblocking(attempt.handle, 1) == 0 else {
                failConnect(attempt, Self.errorMessage(attempt.handle), &wakeups)
                return
            }
            handle = attempt.handle
            broken = false
            pipelineMode = false
            writing = false
            headHasResult = false
            statements.removeAll()
            watch(PQsocket(attempt.handle), writing: false, reading: true)
            wakeups.connect = (attempt.continuation, .success(()))
        default:
            connecting = nil
            attempt.timeout.cancel()
            failConnect(attempt, Self.errorMessage(attempt.handle), &wakeups)
        }
    }

    private func failConnect(_ attempt: ConnectAttempt, _ message: String, _ wakeups: inout Wakeups) {
        if let token {
            loop.remove(token)
            self.token = nil
        }
        PQfinish(attempt.handle)
        wakeups.connect = (attempt.continuation, .failure(.connectFailed(configuration.redact(message))))
    }

    private func connectTimedOut(_ attemptID: Int) {
        let wakeups = locked { () -> Wakeups in
            var wakeups = Wakeups()
            guard let attempt = connecting, Int(bitPattern: attempt.handle) == attemptID else { return wakeups }
            connecting = nil
            let waiting = attempt.waitingToWrite ? "write" : "read"
            let step = "status \(PQstatus(attempt.handle).rawValue), waiting to \(waiting), \(attempt.polls) polls"
            failConnect(attempt, "timeout expired (\(step))", &wakeups)
            return wakeups
        }
        wakeups.resume()
    }

    /// Closes a connect in progress (on `close()`). Under the lock.
    func abandonConnect(_ wakeups: inout Wakeups) {
        guard let attempt = connecting else { return }
        connecting = nil
        attempt.timeout.cancel()
        if let token {
            loop.remove(token)
            self.token = nil
        }
        PQfinish(attempt.handle)
        wakeups.connect = (attempt.continuation, .failure(.connectionClosed))
    }

    /// Points the loop registration at `descriptor`. Under the lock.
    private func watch(_ descriptor: Int32, writing: Bool, reading: Bool) {
        if let token, tokenDescriptor == descriptor {
            loop.update(token, reading: reading, writing: writing)
            return
        }
        if let token { loop.remove(token) }
        tokenDescriptor = descriptor
        token = loop.register(descriptor, reading: reading, writing: writing, watcher: self)
    }

    /// On the first use after a check-in: reads what arrived while the
    /// connection sat idle (a terminated backend's goodbye) and reconnects
    /// when the session is gone. During a checkout a lost session stays lost:
    /// reconnecting in the middle of a transaction would silently run the
    /// rest outside it.
    /// Callers sharing the connection that arrive during a reconnect wait
    /// for it instead of starting their own.
    func reconnectIfNeeded() async throws {
        enum Step {
            case proceed, reopen, wait
        }
        let step = try locked { () -> Step in
            if closed { throw PostgresError.connectionClosed }
            if reopenWaiters != nil { return .wait }
            guard verifyOnNextUse, inFlight.isEmpty else { return .proceed }
            if let handle, !broken { consumeIdleInput(handle) }
            guard broken || handle == nil else {
                verifyOnNextUse = false
                return .proceed
            }
            reopenWaiters = []
            dropSession()
            return .reopen
        }
        switch step {
        case .proceed:
            return
        case .wait:
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let waiting = locked { () -> Bool in
                    guard reopenWaiters != nil else { return false }
                    reopenWaiters!.append(continuation)
                    return true
                }
                if !waiting { continuation.resume() }
            }
        case .reopen:
            let outcome: Result<Void, any Error>
            do {
                try await open()
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            let waiters = locked { () -> [CheckedContinuation<Void, any Error>] in
                if case .success = outcome { verifyOnNextUse = false }
                defer { reopenWaiters = nil }
                return reopenWaiters ?? []
            }
            for waiter in waiters { waiter.resume(with: outcome) }
            try outcome.get()
        }
    }

    /// Reads whatever the server sent while the connection sat idle, without
    /// blocking. A terminated backend sends a FATAL message and then closes
    /// the socket; libpq notices the close only on a read after the one that
    /// returned the message, hence the loop while the socket stays readable.
    /// Under the lock.
    private func consumeIdleInput(_ handle: OpaquePointer) {
        var reads = 0
        while PQstatus(handle) == CONNECTION_OK, reads < 8 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle) == 0 { break }
            reads += 1
        }
        while let notification = PQnotifies(handle) { PQfreemem(notification) }
        if PQstatus(handle) != CONNECTION_OK { broken = true }
    }

    /// Forgets the session: stops watching its socket and frees it. Under
    /// the lock.
    func dropSession() {
        if let token {
            loop.remove(token)
            self.token = nil
        }
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
        pipelineMode = false
        writing = false
    }

    // MARK: - Sending

    /// Sends `runs` (or queues them behind a script). Under the lock.
    ///
    /// `grouped` sends them with one `Sync` after the last instead of one
    /// after each: libpq (before 17) writes to the socket at every `Sync`, so
    /// this is one write instead of one per statement, and one read on the
    /// server's side. The statements then share an implicit transaction: after
    /// one fails the rest do not run, and a write before it is undone. For
    /// callers that take the first error anyway (`query(pipelining:)`).
    func submit(_ runs: [StatementRun], grouped: Bool = false) -> Wakeups {
        var wakeups = Wakeups()
        guard !closed, let handle, !broken else {
            let error: PostgresError = closed ? .connectionClosed : .connectionLost
            for run in runs {
                run.fail(error)
                complete(run, &wakeups)
            }
            return wakeups
        }
        if grouped, runs.count > 1, blocked.isEmpty, !scriptInFlight, !runs.contains(where: { $0.kind == .script }) {
            send(runs, handle, &wakeups)
            flush(&wakeups)
            return wakeups
        }
        for (index, run) in runs.enumerated() {
            if broken {
                // The session broke while sending an earlier one.
                for rest in runs[index...] {
                    rest.fail(.connectionLost)
                    complete(rest, &wakeups)
                }
                break
            }
            if run.kind == .script {
                if inFlight.isEmpty, blocked.isEmpty { sendScript(run, handle, &wakeups) } else { blocked.append(run) }
            } else if !blocked.isEmpty || scriptInFlight {
                blocked.append(run)
            } else {
                send(run, handle, &wakeups)
            }
        }
        flush(&wakeups)
        return wakeups
    }

    private var scriptInFlight: Bool {
        if case .script = inFlight.first { return true }
        return false
    }

    /// Appends one statement and its `Sync` to libpq's output buffer. Under
    /// the lock.
    private func send(_ run: StatementRun, _ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        send([run], handle, &wakeups)
    }

    /// Appends statements and one `Sync` after the last to libpq's output
    /// buffer. Under the lock.
    private func send(_ group: [StatementRun], _ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        if !pipelineMode {
            guard PQenterPipelineMode(handle) == 1 else {
                for run in group {
                    run.fail(.server(sqlState: "XX000", message: Self.errorMessage(handle)))
                    complete(run, &wakeups)
                }
                return
            }
            pipelineMode = true
        }
        for run in group { sendStatement(run, handle, &wakeups) }
        guard PQpipelineSync(handle) == 1 else {
            for run in group { run.fail(.connectionLost) }
            markBroken(&wakeups)
            for run in group { complete(run, &wakeups) }
            return
        }
        inFlight.append(.sync(group))
    }

    /// Appends one statement (and the `Parse` it needs first) without a
    /// `Sync`. Under the lock.
    private func sendStatement(_ run: StatementRun, _ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        let count = Int32(run.parameters.types.count)
        var sent: Int32 = 0
        switch run.kind {
        case .prepared:
            let statement = preparedStatement(for: run, handle, &wakeups)
            run.statement = statement
            if statement.failure == nil {
                let resultFormat = configuration.binaryResults ? statement.resultFormat(on: handle) : 0
                sent = run.parameters.withCValues { values, lengths, formats in
                    PQsendQueryPrepared(handle, statement.name, count, values, lengths, formats, resultFormat)
                }
            }
        case .unnamed:
            sent = run.parameters.withCValues { values, lengths, formats in
                run.parameters.types.withUnsafeBufferPointer { types in
                    PQsendQueryParams(handle, run.sql, count, types.baseAddress, values, lengths, formats, 0)
                }
            }
        case .script:
            preconditionFailure("scripts run outside pipeline mode")
        }
        if sent == 1 {
            inFlight.append(.statement(run))
        } else {
            // libpq refused it before sending (too many parameters, out of
            // memory): the Sync after it still completes it in order.
            run.fail(run.statement?.failure ?? .server(sqlState: "XX000", message: Self.errorMessage(handle)))
        }
    }

    /// The cached statement for `run`'s SQL and types, sending its `Parse`
    /// first when this session has not seen it. Under the lock.
    private func preparedStatement(for run: StatementRun, _ handle: OpaquePointer, _ wakeups: inout Wakeups)
        -> PreparedStatement
    {
        let key = StatementKey(sql: run.sql, types: run.parameters.types)
        if let statement = statements[key] { return statement }
        if statements.count >= Self.statementCacheLimit {
            // Statements sent earlier run before this, so they still find theirs.
            sendInternal("DEALLOCATE ALL", handle, &wakeups)
            statements.removeAll()
        }
        statementCounter += 1
        let statement = PreparedStatement(name: "s\(statementCounter)", key: key)
        let sent = key.types.withUnsafeBufferPointer { types in
            PQsendPrepare(handle, statement.name, key.sql, Int32(key.types.count), types.baseAddress)
        }
        if sent == 1 {
            inFlight.append(.prepare(statement))
            statements[key] = statement
        } else {
            statement.failure = .server(sqlState: "XX000", message: Self.errorMessage(handle))
        }
        return statement
    }

    /// A statement of the connection's own; nobody waits for its result.
    private func sendInternal(_ sql: String, _ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        send(StatementRun(kind: .unnamed, sql: sql, parameters: .empty, waiter: nil, index: 0), handle, &wakeups)
    }

    /// Scripts use the simple protocol, which pipeline mode does not allow:
    /// sent only when nothing else is in flight. Under the lock.
    private func sendScript(_ run: StatementRun, _ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        if pipelineMode {
            guard PQexitPipelineMode(handle) == 1 else {
                run.fail(.server(sqlState: "XX000", message: Self.errorMessage(handle)))
                complete(run, &wakeups)
                return
            }
            pipelineMode = false
        }
        guard PQsendQuery(handle, run.sql) == 1 else {
            if PQstatus(handle) != CONNECTION_OK {
                markBroken(&wakeups)
                run.fail(.connectionLost)
            } else {
                run.fail(.server(sqlState: "XX000", message: Self.errorMessage(handle)))
            }
            complete(run, &wakeups)
            return
        }
        inFlight.append(.script(run))
    }

    /// Writes what the socket takes; waits for writability when it takes
    /// less than all. Under the lock.
    func flush(_ wakeups: inout Wakeups) {
        guard let handle, !broken, let token else { return }
        switch PQflush(handle) {
        case 0:
            if writing {
                writing = false
                loop.update(token, reading: true, writing: false)
            }
        case 1:
            if !writing {
                writing = true
                loop.update(token, reading: true, writing: true)
            }
        default:
            markBroken(&wakeups)
        }
    }

    // MARK: - Reading

    /// Called on the loop's thread.
    func socketReady(token: UInt64, readable: Bool, writable: Bool) {
        let wakeups = locked { () -> Wakeups in
            var wakeups = Wakeups()
            guard token == self.token else { return wakeups }
            if let attempt = connecting {
                advanceConnect(PQconnectPoll(attempt.handle), &wakeups)
                return wakeups
            }
            guard let handle, !broken else { return wakeups }
            if writable, writing { flush(&wakeups) }
            if readable, !broken {
                if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK {
                    markBroken(&wakeups)
                } else {
                    drain(handle, &wakeups)
                }
            }
            return wakeups
        }
        wakeups.resume()
    }

    /// Takes every result libpq has parsed and hands it to what expects it.
    /// Under the lock.
    private func drain(_ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        var strayNulls = 0
        reading: while let head = inFlight.first {
            guard PQstatus(handle) == CONNECTION_OK else {
                markBroken(&wakeups)
                return
            }
            if PQisBusy(handle) != 0 { break }
            let raw = PQgetResult(handle)
            if raw == nil, !headEndsOnNull(head) {
                // Not expected here; two in a row means libpq has nothing.
                strayNulls += 1
                if strayNulls > 1 { break }
                continue
            }
            strayNulls = 0
            switch head {
            case .prepare(let statement):
                guard let raw else {
                    popHead()
                    continue reading
                }
                headHasResult = true
                if !Self.succeeded(PQresultStatus(raw)) {
                    statement.failure = Self.serverError(raw, handle)
                    if statements[statement.key] === statement { statements[statement.key] = nil }
                }
                PQclear(raw)
            case .statement(let run):
                guard let raw else {
                    popHead()
                    continue reading
                }
                headHasResult = true
                if !accept(raw, into: run, handle) {
                    markBroken(&wakeups)
                    return
                }
            case .sync(let group):
                guard let raw else { break reading }
                let status = PQresultStatus(raw)
                PQclear(raw)
                guard status == PGRES_PIPELINE_SYNC else { continue reading }
                popHead()
                finishOrRetry(group, handle, &wakeups)
            case .script(let run):
                guard let raw else {
                    popHead()
                    complete(run, &wakeups)
                    sendBlocked(handle, &wakeups)
                    continue reading
                }
                if !acceptScriptResult(raw, into: run, handle) {
                    markBroken(&wakeups)
                    return
                }
            }
        }
        // A script waits for the pipeline to drain; it just did.
        if inFlight.isEmpty, !blocked.isEmpty, !broken { sendBlocked(handle, &wakeups) }
        if inFlight.isEmpty, blocked.isEmpty {
            wakeups.idle += idleWaiters
            idleWaiters = []
        }
        flush(&wakeups)
    }

    private func headEndsOnNull(_ head: Expected) -> Bool {
        switch head {
        case .prepare, .statement: headHasResult
        case .script: true
        case .sync: false
        }
    }

    private func popHead() {
        _ = inFlight.popFirst()
        headHasResult = false
    }

    private static func succeeded(_ status: ExecStatusType) -> Bool {
        status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY
    }

    /// Stores a statement's result or error. False when the session cannot
    /// go on (COPY, which this client does not speak).
    private func accept(_ raw: OpaquePointer, into run: StatementRun, _ handle: OpaquePointer) -> Bool {
        let status = PQresultStatus(raw)
        defer { if run.result?.handle != raw { PQclear(raw) } }
        if Self.succeeded(status) {
            if run.result == nil, run.error == nil { run.result = PostgresResult(raw) }
            run.statement?.learnResults(from: raw)
            return true
        }
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            run.fail(.server(sqlState: "0A000", message: "COPY is not supported by this client"))
            return false
        }
        if status == PGRES_PIPELINE_ABORTED {
            // A failed Parse, or an earlier statement of its group, in the
            // same Sync group aborts a statement: it did not run.
            run.aborted = true
            run.fail(
                run.statement?.failure
                    ?? .server(sqlState: "XX000", message: "not run: an earlier statement in its pipeline failed"))
            return true
        }
        var error = Self.serverError(raw, handle)
        if error.sqlState == "26000", let failure = run.statement?.failure { error = failure }
        run.fail(error)
        return true
    }

    /// A script's statements each return a result; the last one's rows are
    /// kept, the first error wins.
    private func acceptScriptResult(_ raw: OpaquePointer, into run: StatementRun, _ handle: OpaquePointer) -> Bool {
        let status = PQresultStatus(raw)
        if Self.succeeded(status) {
            run.result = PostgresResult(raw)
            return true
        }
        let error = Self.serverError(raw, handle)
        PQclear(raw)
        if status == PGRES_COPY_IN {
            // Refusing the data makes the server fail the COPY and go on.
            _ = PQputCopyEnd(handle, "COPY is not supported by this client")
            run.fail(.server(sqlState: "0A000", message: "COPY is not supported by this client"))
            return true
        }
        if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            run.fail(.server(sqlState: "0A000", message: "COPY is not supported by this client"))
            return false
        }
        run.fail(error)
        return true
    }

    /// Completes a statement at its `Sync`, or sends it again once when its
    /// prepared statement vanished (DISCARD ALL, DEALLOCATE) or a schema
    /// change altered its result columns: nothing ran, and the transaction
    /// status read at this `Sync` says no transaction is open, so preparing
    /// it afresh is safe. (With more in flight libpq reports "active", and
    /// the error goes to the caller.)
    ///
    /// In a group, the statements after the first failure did not run
    /// either; when that failure is one to retry, it and they are sent again
    /// as a group, and the ones before it keep their results.
    private func finishOrRetry(_ group: [StatementRun], _ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        if let failed = group.firstIndex(where: { $0.error != nil }), let error = group[failed].error,
            group[failed].kind == .prepared, !group[failed].retried, let statement = group[failed].statement,
            error.sqlState == "26000" || (error.sqlState == "0A000" && "\(error)".contains("cached plan")),
            group[(failed + 1)...].allSatisfy(\.aborted), PQtransactionStatus(handle) == PQTRANS_IDLE
        {
            if statements[statement.key] === statement { statements[statement.key] = nil }
            if error.sqlState == "0A000" { sendInternal("DEALLOCATE \(statement.name)", handle, &wakeups) }
            for run in group[..<failed] { complete(run, &wakeups) }
            let again = Array(group[failed...])
            // Only the failed one has used its retry: one it stopped may
            // find its own statement stale in turn.
            group[failed].retried = true
            for run in again {
                run.aborted = false
                run.error = nil
                run.statement = nil
            }
            send(again, handle, &wakeups)
            return
        }
        for run in group { complete(run, &wakeups) }
    }

    /// Hands a finished statement's outcome to its waiter.
    func complete(_ run: StatementRun, _ wakeups: inout Wakeups) {
        guard let waiter = run.waiter, let resumption = waiter.complete(run.index, run.outcome) else { return }
        wakeups.results.append(resumption)
    }

    /// After a script: back to pipeline mode for what queued behind it, up
    /// to the next script.
    private func sendBlocked(_ handle: OpaquePointer, _ wakeups: inout Wakeups) {
        let queued = blocked
        blocked = []
        for (index, run) in queued.enumerated() {
            if broken {
                run.fail(.connectionLost)
                complete(run, &wakeups)
            } else if run.kind == .script {
                if inFlight.isEmpty {
                    sendScript(run, handle, &wakeups)
                } else {
                    blocked = Array(queued[index...])
                    return
                }
            } else if scriptInFlight {
                blocked = Array(queued[index...])
                return
            } else {
                send(run, handle, &wakeups)
            }
        }
    }

    // MARK: - Failures

    /// The session is gone: every statement in flight or queued fails with
    /// `.connectionLost` (it may or may not have run). Under the lock.
    func markBroken(_ wakeups: inout Wakeups) {
        broken = true
        wakeups = merge(wakeups, failEverything(.connectionLost))
        if let token {
            loop.remove(token)
            self.token = nil
        }
    }

    private func merge(_ first: Wakeups, _ second: Wakeups) -> Wakeups {
        var merged = first
        merged.results += second.results
        merged.idle += second.idle
        if merged.connect == nil { merged.connect = second.connect }
        return merged
    }

    /// Fails everything in flight or queued. Under the lock.
    func failEverything(_ error: PostgresError) -> Wakeups {
        var wakeups = Wakeups()
        let pending = Array(inFlight)
        inFlight.removeAll()
        for expected in pending {
            switch expected {
            case .statement(let run), .script(let run):
                // A server error already read (57P01 from a terminated
                // backend) says more than a generic one.
                if run.error == nil { run.fail(error) }
                complete(run, &wakeups)
            case .sync(let group):
                for run in group {
                    if run.error == nil { run.fail(error) }
                    complete(run, &wakeups)
                }
            case .prepare:
                break
            }
        }
        for run in blocked {
            run.fail(error)
            complete(run, &wakeups)
        }
        blocked = []
        headHasResult = false
        statements.removeAll()
        wakeups.idle += idleWaiters
        idleWaiters = []
        return wakeups
    }

    // MARK: - Waiting

    /// Returns once nothing is in flight (results read, scripts done).
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = locked { () -> Bool in
                if inFlight.isEmpty, blocked.isEmpty { return true }
                idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Asks the server to stop what this connection is running (the task
    /// that waits for it was cancelled). `PQcancel` opens a connection of
    /// its own and blocks until the server takes the request, so it runs on a
    /// short-lived thread of its own: cancellation is rare, and nothing else
    /// may block.
    func cancelRunningStatement() {
        let cancel = locked { () -> OpaquePointer? in
            guard let handle, !broken, !inFlight.isEmpty, let cancel = PQgetCancel(handle) else { return nil }
            cancelsInProgress += 1
            return cancel
        }
        guard let cancel else { return }
        let request = CancelRequest(cancel)
        Thread.detachNewThread { [self] in
            request.send()
            let waiters = locked { () -> [CheckedContinuation<Void, Never>] in
                cancelsInProgress -= 1
                guard cancelsInProgress == 0 else { return [] }
                defer { cancelWaiters = [] }
                return cancelWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    func waitForCancels() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let settled = locked { () -> Bool in
                if cancelsInProgress == 0 { return true }
                cancelWaiters.append(continuation)
                return false
            }
            if settled { continuation.resume() }
        }
    }

    // MARK: - Errors

    static func serverError(_ result: OpaquePointer, _ handle: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let message = field("M") ?? errorMessage(handle)
        guard let sqlState = field("C"), !sqlState.isEmpty else {
            // An error libpq made up itself (lost socket, protocol trouble).
            return PQstatus(handle) == CONNECTION_OK
                ? .server(sqlState: "XX000", message: message) : .connectionLost
        }
        return .fromServer(sqlState: sqlState, message: message, constraint: field("n"))
    }

    static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let message = PQerrorMessage(handle) else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// libpq's cancel handle, freed after its one use. `@unchecked Sendable`:
/// libpq documents `PGcancel` as safe to use from another thread.
private final class CancelRequest: @unchecked Sendable {
    private let cancel: OpaquePointer

    init(_ cancel: OpaquePointer) {
        self.cancel = cancel
    }

    deinit {
        PQfreeCancel(cancel)
    }

    func send() {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }
}
