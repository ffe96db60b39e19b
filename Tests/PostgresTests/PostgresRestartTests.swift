import Foundation
import Testing

@testable import Postgres

/// A server restart, on a private cluster (own folder, own port) so the
/// shared test server and the tests running against it are not disturbed.
@Suite struct PostgresRestartTests {
    static let serverInstalled = FileManager.default.fileExists(atPath: "/usr/lib/postgresql")

    @Test(.enabled(if: serverInstalled, "needs the PostgreSQL server binaries (/usr/lib/postgresql) to run a private cluster"))
    func poolReconnectsAfterServerRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-restart-\(UUID().uuidString.prefix(8))")
        let port = Int.random(in: 55_000..<56_000)
        let environment = ["SERVICES_DATA_DIR": folder.path, "PGPORT_TEST": String(port)]
        func services(_ arguments: String...) throws {
            _ = try TestDatabase.run(TestDatabase.script, arguments, environment: environment)
        }
        try services("start", "postgres")
        defer {
            _ = try? TestDatabase.run(TestDatabase.script, ["stop", "postgres"], environment: environment)
            try? FileManager.default.removeItem(at: folder)
        }
        let pool = try PostgresPool(url: "postgresql://app:app@127.0.0.1:\(port)/app?sslmode=disable", maxConnections: 2)
        let before = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)

        try services("stop", "postgres")
        // While the server is down, checkouts fail fast with a typed error.
        await #expect {
            try await pool.query("SELECT 1")
        } throws: { error in
            guard case .connectFailed = error as? PostgresError else { return false }
            return true
        }

        try services("start", "postgres")
        let after = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
        #expect(after != before)
        #expect(try await pool.query("SELECT 1 + 1")[0].decode(Int.self) == 2)
        await pool.close()
    }
}
