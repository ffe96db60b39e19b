import HummingbirdTesting
import Logging
import ServerRuntime
import Testing

/// An outage of a dependency, thrown from a route, is answered 503 with `Retry-After` and the
/// error's detail in FastAPI's shape; the same error type when it is no outage stays a 500,
/// whose text never reaches the client.
@Suite("dependency outages")
struct DependencyUnavailableTests {
    struct StoreError: DependencyUnavailableError, CustomStringConvertible {
        var isOutage: Bool
        var unavailableDetail: String? { isOutage ? "The store is unavailable, try again shortly" : nil }
        var description: String { "store error (secret internals)" }
    }

    func application() -> some ApplicationProtocol {
        let configuration = APIConfiguration()
        let router = APIApplication.makeRouter(configuration: configuration)
        router.get("/outage") { _, _ -> String in throw StoreError(isOutage: true) }
        router.get("/failure") { _, _ -> String in throw StoreError(isOutage: false) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return APIApplication.makeApplication(router: router, configuration: configuration, logger: logger)
    }

    @Test func anOutageIs503WithRetryAfter() async throws {
        try await application().test(.router) { client in
            let outage = try await client.execute(uri: "/outage", method: .get)
            #expect(outage.status == .serviceUnavailable)
            #expect(outage.headers[.retryAfter] == "1")
            #expect(outage.text == #"{"detail":"The store is unavailable, try again shortly"}"#)
            #expect(outage.headers[RequestIdentifier.headerName] != nil)
            let failure = try await client.execute(uri: "/failure", method: .get)
            #expect(failure.status == .internalServerError)
            #expect(failure.text == #"{"detail":"Internal Server Error"}"#)
        }
    }
}
