import API
import Foundation
import ServerRuntime
import Synchronization

/// `health`: liveness answers from the process alone; readiness asks PostgreSQL and Redis, at
/// the same time and each within `timeout`, so a hung dependency makes the probe fail rather
/// than hang.
public struct HealthService: HealthAPI {
    let app: AppDependencies
    let timeout: Duration
    let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameter sleep: how a check waits for its deadline (tests observe it); it must throw
    ///   when its task is cancelled, as `Task.sleep` does.
    public init(
        _ app: AppDependencies, timeout: Duration = .seconds(2),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.app = app
        self.timeout = timeout
        self.sleep = sleep
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
    /// task is cancelled as soon as the probe answers: left to run out it kept a task and a timer
    /// alive for two seconds after every check, tens of thousands under load (the server's
    /// resident set grew from 50 to 149 MiB in one second of readiness probes at 64 connections).
    private func check(
        _ name: String, context: OperationContext, _ probe: @escaping @Sendable () async throws -> Void
    ) async -> HealthStatusChecksValue {
        let (timeout, sleep) = (self.timeout, self.sleep)
        let logger = context.logger
        return await withCheckedContinuation { continuation in
            let answered = FirstAnswer()
            @Sendable func answer(_ value: HealthStatusChecksValue, _ reason: String?) {
                guard answered.claim() else { return }
                if let reason { logger.warning("readiness check failed", metadata: ["dependency": "\(name)", "error": "\(reason)"]) }
                continuation.resume(returning: value)
            }
            let deadline = Task {
                do {
                    try await sleep(timeout)
                } catch {
                    return  // cancelled: the probe answered first
                }
                answer(.failed, "no answer within \(timeout)")
            }
            Task {
                do {
                    try await probe()
                    answer(.ok, nil)
                } catch {
                    answer(.failed, "\(error)")
                }
                deadline.cancel()
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
