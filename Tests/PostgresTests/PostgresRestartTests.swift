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
}
