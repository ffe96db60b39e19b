import Foundation
import HummingbirdTesting
import Logging
import ServerRuntime
import Testing

/// The service `specgen scaffold` writes (`Scaffolded/ItemsService.swift`) compiles against the
/// generated protocol and, served, answers every operation 501 in FastAPI's error shape.
@Suite("Scaffolded service")
struct ScaffoldTests {
    @Test func anUnwrittenOperationAnswers501() async throws {
        let configuration = APIConfiguration(routes: RouteConfiguration(), cors: nil, docs: nil)
        let router = APIApplication.makeRouter(configuration: configuration)
        registerAPIRoutes(
            on: router, items: ItemsService(), login: InMemoryLogin(), security: TestSecurityHandler(),
            configuration: configuration.routes)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = APIApplication.makeApplication(router: router, configuration: configuration, logger: logger)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/items/", method: .get, headers: bearer)
            #expect(response.status == .notImplemented)
            #expect(try response.json["detail"] == "readItems is not implemented yet")
        }
    }
}
