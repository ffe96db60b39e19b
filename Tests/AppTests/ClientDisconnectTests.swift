import Foundation
import HummingbirdTesting
import Postgres
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

/// One TCP connection to the server, closed by hand in the middle of a request.
private struct RawHTTPClient {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
    }

    func close() {
        Glibc.close(descriptor)
    }
}
