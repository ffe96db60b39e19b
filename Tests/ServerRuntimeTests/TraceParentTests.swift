import HummingbirdTesting
import Logging
import ServerRuntime
import ServiceContextModule
import Testing

/// `traceparent` through the runtime's middleware: a valid one reaches the handler in its
/// logger's metadata and in `ServiceContext.current`; a malformed one leaves neither.
@Suite("traceparent")
struct TraceParentTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    func application() -> some ApplicationProtocol {
        let configuration = APIConfiguration()
        let router = APIApplication.makeRouter(configuration: configuration)
        router.get("/trace") { _, context -> String in
            let logged = context.logger[metadataKey: TraceParent.traceIDMetadataKey]?.description ?? "-"
            let carried = ServiceContext.current?.traceParent?.traceID ?? "-"
            return "\(logged) \(carried)"
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return APIApplication.makeApplication(router: router, configuration: configuration, logger: logger)
    }

    @Test func aValidTraceparentReachesTheLoggerAndTheServiceContext() async throws {
        try await application().test(.router) { client in
            let traced = try await client.execute(uri: "/trace", method: .get, headers: [TraceParent.headerName: Self.valid])
            #expect(traced.text == "4bf92f3577b34da6a3ce929d0e0e4736 4bf92f3577b34da6a3ce929d0e0e4736")
            let malformed = try await client.execute(
                uri: "/trace", method: .get, headers: [TraceParent.headerName: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"])
            #expect(malformed.status == .ok)
            #expect(malformed.text == "- -")
            let none = try await client.execute(uri: "/trace", method: .get)
            #expect(none.text == "- -")
        }
    }

    @Test func parsingFollowsTheRecommendation() {
        let trace = TraceParent(Self.valid)
        #expect(trace?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace?.parentID == "00f067aa0ba902b7")
        #expect(trace?.sampled == true)
        #expect(trace?.description == Self.valid)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled == false)
        for bad in [
            "", "00", Self.valid + "-", Self.valid.uppercased(), "ff" + Self.valid.dropFirst(2), "0g" + Self.valid.dropFirst(2),
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", "00 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u{0}",
        ] {
            #expect(TraceParent(String(bad)) == nil, "\(bad)")
        }
    }
}
