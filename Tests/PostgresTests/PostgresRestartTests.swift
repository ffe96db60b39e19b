import Foundation
import TestProcesses
import Testing

@testable import Postgres

/// A server restart, on a private cluster (own folder, own port) so the
/// shared test server and the tests running against it are not disturbed.
@Suite struct PostgresRestartTests {
    static let serverInstalled = FileManager.default.fileExists(atPath: "/usr/lib/postgresql")

    @Test(.enabled(if: serverInstalled, "needs the PostgreSQL server binaries (/usr/lib/postgresql) to run a private cluster"))
    func poolReconnectsAfterServerRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-restart-\(UUID().uuidString.prefix(8))")
        let port = try TestPorts.free()
        let environment = ["SERVICES_DATA_DIR": folder.path, "PGPORT_TEST": String(port)]
        func services(_ arguments: String...) async throws {
            _ = try await TestDatabase.run(TestDatabase.script, arguments, environment: environment)
        }
        try await services("start", "postgres")
        // The private cluster is stopped whatever happens; a defer cannot wait for it.
        do {
            try await restart(port: port, services: services)
        } catch {
            _ = try? await services("stop", "postgres")
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        _ = try? await services("stop", "postgres")
        try? FileManager.default.removeItem(at: folder)
    }

    private func restart(port: Int, services: (String...) async throws -> Void) async throws {
        let pool = try PostgresPool(url: "postgresql://app:app@127.0.0.1:\(port)/app?sslmode=disable", maxConnections: 2)
        let before = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)

        try await services("stop", "postgres")
        // While the server is down, checkouts fail fast with a typed error.
        await #expect {
            try await pool.query("SELECT 1")
        } throws: { error in
            guard case .connectFailed = error as? PostgresError else { return false }
            return true
        }

        try await services("start", "postgres")
        let after = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
        #expect(after != before)
        #expect(try await pool.query("SELECT 1 + 1")[0].decode(Int.self) == 2)
        await pool.close()
    }

    /// Restarted while 16 callers keep 4 connections busy with pipelined
    /// work: every call answers (rows, or an "unavailable" error), none
    /// hangs, and the pool serves again without being rebuilt.
    @Test(.enabled(if: serverInstalled, "needs the PostgreSQL server binaries (/usr/lib/postgresql) to run a private cluster"))
    func everyCallAnswersWhenTheServerRestartsUnderLoad() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-load-\(UUID().uuidString.prefix(8))")
        let port = try TestPorts.free()
        let environment = ["SERVICES_DATA_DIR": folder.path, "PGPORT_TEST": String(port)]
        func services(_ arguments: String...) async throws {
            _ = try await TestDatabase.run(TestDatabase.script, arguments, environment: environment)
        }
        try await services("start", "postgres")
        // The private cluster is stopped whatever happens; a defer cannot wait for it.
        do {
            try await restartUnderLoad(port: port, services: services)
        } catch {
            _ = try? await services("stop", "postgres")
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        _ = try? await services("stop", "postgres")
        try? FileManager.default.removeItem(at: folder)
    }

    private func restartUnderLoad(port: Int, services: (String...) async throws -> Void) async throws {
        let pool = try PostgresPool(
            url: "postgresql://app:app@127.0.0.1:\(port)/app?sslmode=disable", maxConnections: 4, checkoutTimeout: .seconds(5))
        let running = Locked(true)
        let tally = Locked((succeeded: 0, unavailable: 0, other: [String]()))
        let workers = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        while running.withLock({ $0 }) {
                            do {
                                let rows = try await pool.query(pipelining: ["SELECT \(worker)::int AS n, pg_sleep(0.005)", "SELECT 1"])
                                _ = try rows[0][0].decode(Int.self, column: "n")
                                tally.withLock { $0.succeeded += 1 }
                            } catch let error as PostgresError where error.isUnavailable {
                                tally.withLock { $0.unavailable += 1 }
                                try? await Task.sleep(for: .milliseconds(20))
                            } catch {
                                tally.withLock { $0.other.append("\(error)") }
                            }
                        }
                    }
                }
            }
        }
        // The callers stop and the pool closes whatever happens (its connections would hold the
        // private cluster's slots, and the callers would spin on).
        do {
            try await restartWhileBusy(services: services, tally: tally)
        } catch {
            running.withLock { $0 = false }
            await workers.value
            await pool.close()
            throw error
        }
        running.withLock { $0 = false }
        _ = try await answered(within: .seconds(20)) { await workers.value }
        let result = tally.withLock { $0 }
        #expect(result.unavailable > 0)
        #expect(result.other.isEmpty, "errors other than unavailable: \(result.other.prefix(5))")
        #expect(try await pool.query("SELECT 1 + 1")[0].decode(Int.self) == 2)
        await pool.close()
    }

    private func restartWhileBusy(
        services: (String...) async throws -> Void, tally: Locked<(succeeded: Int, unavailable: Int, other: [String])>
    ) async throws {
        try await Task.sleep(for: .milliseconds(500))
        try await services("stop", "postgres")
        // Down until the callers have seen it (on a loaded machine they may
        // not run at all for a while: no fixed sleep).
        _ = try await answered(within: .seconds(20)) {
            while tally.withLock({ $0.unavailable }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            return true
        }
        try await services("start", "postgres")
        let before = tally.withLock { $0.succeeded }
        // Recovered: calls succeed again without a new pool.
        let recovered = try await answered(within: .seconds(20)) {
            while tally.withLock({ $0.succeeded }) < before + 50 { try await Task.sleep(for: .milliseconds(20)) }
            return true
        }
        #expect(recovered == true)
    }
}
