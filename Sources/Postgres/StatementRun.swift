import NIOCore
import NIOPosix

/// One statement on its way through a connection's pipeline: what to send,
/// and what came back, until its `Sync` is read and its caller resumed.
/// Touched only under the connection's lock, which is what makes handing it
/// to another thread safe (a caller's statements are sent from its event loop).
final class StatementRun: @unchecked Sendable {
    enum Kind {
        /// Extended protocol through the per-connection statement cache.
        case prepared
        /// Extended protocol, unnamed statement (transaction control, or
        /// prepared statements turned off).
        case unnamed
        /// Simple protocol, several `;`-separated statements, no parameters;
        /// runs outside pipeline mode.
        case script
    }

    let kind: Kind
    let sql: String
    let parameters: EncodedParameters
    /// Who waits for the result, and at which position; nil for the
    /// connection's own statements (a rollback on check-in).
    let waiter: ResultsWaiter?
    let index: Int

    var statement: PreparedStatement?
    var result: PostgresResult?
    var error: PostgresError?
    /// Re-sent once after its prepared statement vanished.
    var retried = false
    /// Not run: an earlier statement of its `Sync` group failed.
    var aborted = false

    init(kind: Kind, sql: String, parameters: EncodedParameters, waiter: ResultsWaiter?, index: Int) {
        self.kind = kind
        self.sql = sql
        self.parameters = parameters
        self.waiter = waiter
        self.index = index
    }

    /// Records the first error (a later one is a consequence of it).
    func fail(_ error: PostgresError) {
        if self.error == nil { self.error = error }
    }

    var outcome: Result<PostgresRows, PostgresError> {
        if let error { return .failure(error) }
        guard let result else {
            return .failure(.server(sqlState: "XX000", message: "the server sent no result for the statement"))
        }
        return .success(PostgresRows(result))
    }
}

/// Collects the results of the statements one call sent and resumes the
/// caller once the last one is in. Touched only under the connection's lock,
/// which is what makes handing it to another thread safe.
final class ResultsWaiter: @unchecked Sendable {
    typealias Results = [Result<PostgresRows, PostgresError>]

    private var results: [Result<PostgresRows, PostgresError>?]
    private var remaining: Int
    var continuation: CheckedContinuation<Results, Never>?
    /// The caller's task was cancelled: statements not sent yet are not sent.
    var cancelled = false
    /// The NIO event loop the caller ran on, if any: its task is resumed from there.
    let home: (any EventLoop)?

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        remaining = count
        home = MultiThreadedEventLoopGroup.currentEventLoop
    }

    /// Stores one result; returns the resumption once all are in (to run
    /// after the lock is released).
    func complete(_ index: Int, _ outcome: Result<PostgresRows, PostgresError>) -> Resumption? {
        guard results[index] == nil else { return nil }
        results[index] = outcome
        remaining -= 1
        guard remaining == 0, let continuation else { return nil }
        self.continuation = nil
        return Resumption(continuation: continuation, results: results.map { $0! }, home: home)
    }

    struct Resumption: Sendable {
        let continuation: CheckedContinuation<Results, Never>
        let results: Results
        let home: (any EventLoop)?

        /// On the caller's event loop when it had one. With NIO as Swift Concurrency's global
        /// executor (the server), a continuation resumed from a poll thread goes to whichever
        /// loop is next, so half the requests on two loops moved to the other one and their
        /// answer hopped back to write; resumed on its loop, the task stays there.
        func resume() {
            guard let home, !home.inEventLoop else {
                continuation.resume(returning: results)
                return
            }
            home.execute { [continuation, results] in continuation.resume(returning: results) }
        }
    }
}
