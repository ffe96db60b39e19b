import App
import Foundation
import HummingbirdTesting
import Postgres
import Security
import ServerRuntime
import TestProcesses
import Testing

/// PostgreSQL stopped under a live server: requests that need it get 503 with FastAPI's JSON
/// body, and the same server works again once PostgreSQL is back. A private cluster (own folder,
/// own port), so the shared test server and the tests using it are not disturbed.
@Suite struct DatabaseOutageTests {
    static let serverInstalled = FileManager.default.fileExists(atPath: "/usr/lib/postgresql")

    @Test(.enabled(if: serverInstalled, "needs the PostgreSQL server binaries (/usr/lib/postgresql) to run a private cluster"))
    func stoppedDatabaseAnswers503ThenRecovers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("app-outage-\(UUID().uuidString.prefix(8))")
        let port = try TestPorts.free()
        let environment = ["SERVICES_DATA_DIR": folder.path, "PGPORT_TEST": String(port)]
        @Sendable func services(_ arguments: String...) async throws {
            _ = try await TestDatabase.run(TestDatabase.script, arguments, environment: environment)
        }
        try await services("start", "postgres")
        // The private cluster is stopped whatever happens; a defer cannot wait for it.
        do {
            try await outage(port: port, services: services)
        } catch {
            _ = try? await services("stop", "postgres")
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        _ = try? await services("stop", "postgres")
        try? FileManager.default.removeItem(at: folder)
    }

    private func outage(port: Int, services: @escaping @Sendable (String...) async throws -> Void) async throws {
        let url = "postgresql://app:app@127.0.0.1:\(port)/app?sslmode=disable"
        let pool = try PostgresPool(url: url, maxConnections: 2, checkoutTimeout: .seconds(5))
        try await Migrator(directory: TestDatabase.migrations).migrate(on: pool)
        try await TestApp.withRedis(settings: ["DATABASE_URL": url]) { settings, redis in
            let dependencies = try AppDependencies(
                settings: settings, pool: pool, redis: redis, hasher: try TestApp.cheapHasher(settings), emails: RecordingEmailSender())
            var logger = Logger(label: "outage-tests")
            logger.logLevel = .critical
            _ = try await FirstSuperuser.ensure(dependencies, logger: logger)
            let application = ExampleApp.makeApplication(
                dependencies: dependencies, configuration: ExampleApp.apiConfiguration(settings: settings, port: 0), logger: logger)

            try await application.test(.live) { client in
                let app = TestApp(
                    dependencies: dependencies, emails: RecordingEmailSender(),
                    superuser: try await dependencies.users.find(email: TestApp.superuserEmail)!)
                let auth = try await app.loginSuperuser(client)
                #expect(try await client.send(.get, "/api/v1/users/me", headers: auth).status == .ok)
                // A user no request has cached yet: a GET reads it with the handler's own statement.
                let (freshUser, fresh) = try await app.userWithToken(client, email: "not-cached@example.com")

                try await services("stop", "postgres")
                // The item list always reads PostgreSQL (the cached current user does not help).
                let down = try await client.send(.get, "/api/v1/items/", headers: auth)
                #expect(down.status == .serviceUnavailable)
                #expect(down.headers[.contentType] == "application/json")
                #expect(down.detail == "The database is unavailable, try again shortly")
                #expect(down.headers[.retryAfter] == "1")
                for path in ["/api/v1/users/me", "/api/v1/items/\(UUID().uuidString.lowercased())"] {
                    let deferred = try await client.send(.get, path, headers: fresh)
                    #expect(deferred.status == .serviceUnavailable, "\(path): \(deferred.text)")
                    #expect(deferred.detail == "The database is unavailable, try again shortly", "\(path)")
                }
                // The create, whose insert carries its owner's check and shares its round trip
                // with the user's lookup: 503 for a cached user and a fresh one alike.
                for headers in [auth, fresh] {
                    let create = try await client.send(.post, "/api/v1/items/", headers: headers, json: #"{"title": "during"}"#)
                    #expect(create.status == .serviceUnavailable, "\(create.text)")
                    #expect(create.detail == "The database is unavailable, try again shortly")
                }
                // A route that does not touch the database keeps working.
                #expect(try await client.send(.get, "/api/v1/utils/health-check/").status == .ok)

                try await services("start", "postgres")
                let up = try await client.send(.get, "/api/v1/items/", headers: auth)
                #expect(up.status == .ok, "after restart: \(up.text)")
                #expect(try up.json["count"]?.intValue == 0)
                // The guarded create works again on the reopened sessions; nothing was written during.
                let created = try await client.send(.post, "/api/v1/items/", headers: fresh, json: #"{"title": "after"}"#)
                #expect(created.status == .ok, "after restart: \(created.text)")
                #expect(try await dependencies.items.count(ownerId: freshUser.id) == 1)
            }
        }
        await pool.close()
    }
}
