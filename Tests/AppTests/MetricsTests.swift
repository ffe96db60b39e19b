import App
import Foundation
import HummingbirdTesting
import ServerRuntime
import Testing

/// `/metrics` over HTTP: the families after real requests, the setting and the token, and that a
/// scrape is never rate-limited.
/// Serialized: each test runs a whole app (a schema and a pool of its own); one at a time keeps
/// the connections a full parallel run opens to PostgreSQL down.
@Suite("Metrics", .serialized)
struct MetricsTests {
    static let operations: OperationTable = {
        let url = TestDatabase.repository.appendingPathComponent("Generated/openapi.json")
        return try! OperationTable(openAPIDocument: Array(Data(contentsOf: url)))
    }()

    static func run(
        _ settings: [String: String] = [:], _ body: @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestApp.run(settings: ["METRICS_ENABLED": "true"].merging(settings) { $1 }, operations: operations, body)
    }

    @Test func familiesAppearAfterRequests() async throws {
        try await Self.run { app, client in
            let auth = try await app.loginSuperuser(client)
            let created = try await client.send(.post, "/api/v1/items/", headers: auth, json: #"{"title": "counted"}"#)
            let id = try #require(try created.json["id"]?.stringValue)
            for _ in 0..<3 { #expect(try await client.send(.get, "/api/v1/items/\(id)", headers: auth).status == .ok) }
            #expect(try await client.send(.get, "/api/v1/items/\(UUID())", headers: auth).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/users/me").status == .unauthorized)
            #expect(try await client.send(.get, "/no/such/route").status == .notFound)

            let scrape = try await client.send(.get, "/metrics")
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let metrics = PrometheusText(scrape.text)
            #expect(metrics.value("http_requests_total", ["operation": "readItem"]) == 4)
            #expect(metrics.value("http_requests_total", ["operation": "loginAccessToken"]) == 1)
            #expect(metrics.value("http_request_duration_seconds_count", ["operation": "readItem"]) == 4)
            #expect(metrics.value("http_request_duration_seconds_bucket", ["operation": "readItem", "le": "+Inf"]) == 4)
            #expect(metrics.value("http_request_errors_total", ["operation": "readItem", "status_class": "4xx"]) == 1)
            #expect(metrics.value("http_request_errors_total", ["operation": "readItem", "status_class": "5xx"]) == 0)
            #expect(metrics.value("http_request_errors_total", ["operation": "readUserMe", "status_class": "4xx"]) == 1)
            #expect(metrics.value("http_requests_total", ["operation": "NotFound"]) == 1)
            // The first read of the item missed the cache, the two after it hit; the access
            // token's user came from the cache too.
            #expect((metrics.value("cache_hits_total", [:]) ?? 0) >= 2)
            #expect((metrics.value("cache_misses_total", [:]) ?? 0) >= 1)
            for pool in ["postgres", "redis"] {
                #expect(metrics.value("pool_connections", ["pool": pool, "state": "in_use"]) != nil, "\(pool)")
                #expect(metrics.value("pool_connections", ["pool": pool, "state": "idle"]) != nil, "\(pool)")
                #expect(metrics.value("pool_waiting", ["pool": pool]) == 0, "\(pool)")
            }
            #expect((metrics.value("pool_connections", ["pool": "postgres", "state": "idle"]) ?? 0) >= 1)
            #expect(metrics.value("rate_limit_refusals_total", ["limit": "requests"]) == 0)
            // The scrape itself is the one request in the handlers.
            #expect(metrics.value("request_gate_requests", ["state": "running"]) == 1)
            #expect(metrics.value("request_gate_requests", ["state": "waiting"]) == 0)
            #expect(metrics.value("request_gate_limit", [:]) == 64)
        }
    }

    @Test func offByDefault() async throws {
        try await TestApp.run(operations: Self.operations) { _, client async throws in
            #expect(try await client.send(.get, "/metrics").status == .notFound)
        }
    }

    @Test func tokenProtectsTheScrape() async throws {
        try await Self.run(["METRICS_TOKEN": "scrape-token"]) { _, client in
            let anonymous = try await client.send(.get, "/metrics")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.detail == "Not authenticated")
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.send(.get, "/metrics", headers: [.authorization: "Bearer scrape-tokeN"]).status == .unauthorized)
            #expect(try await client.send(.get, "/metrics", headers: [.authorization: "Bearer scrape"]).status == .unauthorized)
            let scrape = try await client.send(.get, "/metrics", headers: [.authorization: "Bearer scrape-token"])
            #expect(scrape.status == .ok)
            #expect(scrape.text.contains("http_requests_total"))
        }
    }

    @Test func scrapesAreNeverRateLimitedAndRefusalsAreCounted() async throws {
        try await Self.run(["RATE_LIMIT_REQUESTS": "2"]) { _, client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 { statuses.append(try await client.send(.get, "/api/v1/users/me").status) }
            #expect(statuses.last == .tooManyRequests, "\(statuses)")
            for _ in 0..<5 { #expect(try await client.send(.get, "/metrics").status == .ok) }
            let metrics = PrometheusText(try await client.send(.get, "/metrics").text)
            #expect(metrics.value("rate_limit_refusals_total", ["limit": "requests"]) == 2)
            #expect((metrics.value("http_request_errors_total", ["operation": "readUserMe", "status_class": "4xx"]) ?? 0) == 4)
            #expect(metrics.value("http_requests_total", ["operation": "GET /metrics"]) == 5)
        }
    }

    @Test func loginRefusalsAreCounted() async throws {
        try await Self.run(["RATE_LIMIT_LOGIN": "1"]) { _, client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                statuses.append(
                    try await client.execute(
                        uri: "/api/v1/login/access-token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "username=nobody%40example.com&password=wrong-password")
                    ).status)
            }
            #expect(statuses == [.badRequest, .tooManyRequests, .tooManyRequests])
            let metrics = PrometheusText(try await client.send(.get, "/metrics").text)
            #expect(metrics.value("rate_limit_refusals_total", ["limit": "login"]) == 2)
            #expect(metrics.value("http_request_errors_total", ["operation": "loginAccessToken", "status_class": "4xx"]) == 3)
        }
    }
}

/// The samples of a Prometheus text exposition, by name and labels.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append(Sample(name: String(series), labels: [:], value: value))
                continue
            }
            var labels: [String: String] = [:]
            let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
            // Label values here never hold `",` (operation ids, routes), so a plain split does.
            for pair in body.components(separatedBy: "\",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            samples.append(Sample(name: String(series[..<brace]), labels: labels, value: value))
        }
    }

    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
