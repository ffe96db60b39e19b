import Foundation
import HummingbirdTesting
import Postgres
import TestProcesses
import Testing

@testable import App

/// A client that hangs up while its request waits on PostgreSQL: the statement finishes (or is
/// cancelled), its connection goes back to the pool clean, and nothing waits forever.
@Suite struct ClientDisconnectTests {
    @Test func aClientHangingUpMidQueryLeavesThePoolClean() async throws {
        try await TestApp.run(mode: .live) { app, client in
            let port = try #require(client.port)
            let authorization = try #require(try await app.loginSuperuser(client)[.authorization])
            let pool = app.dependencies.pool
            try await pool.transaction { connection in
                // The list route's statements now wait for this transaction.
                try await connection.query("LOCK TABLE item IN ACCESS EXCLUSIVE MODE")
                let socket = try RawHTTPClient(port: port)
                try socket.send("GET /api/v1/items/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: \(authorization)\r\n\r\n")
                let waiting = await eventually {
                    let rows = try? await pool.query("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'item'::regclass")
                    return (try? rows?[0].decode(Int.self, column: "n")) ?? 0 > 0
                }
                #expect(waiting, "the request never reached PostgreSQL")
                socket.close()
                try await Task.sleep(for: .milliseconds(100))
            }
            // The lock is gone: the abandoned request's statement finishes or was cancelled, and
            // its connection comes back.
            #expect(await eventually { pool.statistics.leased == 0 }, "a connection stayed leased: \(pool.statistics)")
            let response = try await client.execute(uri: "/api/v1/items/", method: .get, headers: [.authorization: authorization])
            #expect(response.status == .ok)
            // Every idle connection answers outside any transaction.
            for _ in 0..<pool.statistics.open {
                let rows = try await pool.query(
                    "SELECT count(*) AS n FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'item'::regclass")
                #expect(try rows[0].decode(Int.self, column: "n") == 0)
            }
        }
    }
}
