import API
import Foundation
import NIOCore
import NIOPosix
import ServerRuntime
import Synchronization

/// `health`: liveness answers from the process alone; readiness asks PostgreSQL and Redis, at
/// the same time and each within `timeout`, so a hung dependency makes the probe fail rather
/// than hang.
public struct HealthService: HealthAPI {
    /// Runs an action after a delay unless cancelled first: returns the cancel.
    public typealias Deadline = @Sendable (Duration, _ action: @escaping @Sendable () -> Void) -> @Sendable () -> Void

    let app: AppDependencies
    let timeout: Duration
    let deadline: Deadline

    /// - Parameter deadline: how a check's deadline is scheduled (tests observe it); by default a
    ///   task scheduled on one of NIO's event loops.
    public init(_ app: AppDependencies, timeout: Duration = .seconds(2), deadline: @escaping Deadline = HealthService.eventLoopDeadline) {
        self.app = app
        self.timeout = timeout
        self.deadline = deadline
    }

    /// A task scheduled on an event loop: cancelling it takes it off the loop's queue at once,
    /// where a cancelled `Task.sleep` still leaves its timer queued in Dispatch until it is due.
    public static let eventLoopDeadline: Deadline = { delay, action in
        let scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(delay)) { action() }
        return { scheduled.cancel() }
    }

    public func healthLive(_ input: Operations.healthLive.Input, context: OperationContext) async throws -> Operations.healthLive.Output {
        .ok(HealthStatus(status: .ok, checks: [:]))
    }

    public func healthReady(_ input: Operations.healthReady.Input, context: OperationContext) async throws -> Operations.healthReady.Output
    {
        async let postgres = check("postgres", context: context) { _ = try await app.pool.query("SELECT 1") }
        async let redis = check("redis", context: context) { try await app.redis.ping() }
        let checks = ["postgres": await postgres, "redis": await redis]
        let status = HealthStatus(status: checks.values.allSatisfy { $0 == .ok } ? .ok : .unavailable, checks: checks)
        return status.status == .ok ? .ok(status) : .serviceUnavailable(status)
    }

    /// The probe's outcome, or `.failed` after `timeout` while the probe may still be running (a
    /// blocked libpq or hiredis call cannot be abandoned, only stopped waiting for). The deadline's
    /// is cancelled as soon as the probe answers: a sleeping task per check, left to run out, kept
    /// a task and a timer alive for two seconds after every check, tens of thousands under load
    /// (the server's resident set grew from 50 to 149 MiB in one second of readiness probes at 64
    /// connections; with the sleep cancelled, Dispatch's timers still took it to 78 MiB in 5 s).
    private func check(
        _ name: String, context: OperationContext, _ probe: @escaping @Sendable () async throws -> Void
    ) async -> HealthStatusChecksValue {
        let (timeout, deadline) = (self.timeout, self.deadline)
        let logger = context.logger
        return await withCheckedContinuation { continuation in
            let answered = FirstAnswer()
            @Sendable func answer(_ value: HealthStatusChecksValue, _ reason: String?) {
                guard answered.claim() else { return }
                if let reason { logger.warning("readiness check failed", metadata: ["dependency": "\(name)", "error": "\(reason)"]) }
                continuation.resume(returning: value)
            }
            let cancelDeadline = deadline(timeout) { answer(.failed, "no answer within \(timeout)") }
            Task {
                do {
                    try await probe()
                    answer(.ok, nil)
                } catch {
                    answer(.failed, "\(error)")
                }
                cancelDeadline()
            }
        }
    }
}

/// Lets only the first of two racing tasks resume a continuation.
private final class FirstAnswer: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
