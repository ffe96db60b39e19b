import App
import Foundation
import HummingbirdTesting
import ServerRuntime
import Synchronization
import Testing

/// JSON log lines over HTTP: each carries the request id, and the trace id of a valid W3C
/// `traceparent`; a malformed `traceparent` is ignored, never refused.
/// Serialized: each test runs a whole app (a schema and a pool of its own); one at a time keeps
/// the connections a full parallel run opens to PostgreSQL down.
@Suite("Request logging", .serialized)
struct RequestLoggingTests {
    /// The lines a `JSONLogHandler` wrote.
    final class Lines: Sendable {
        let lines = Mutex<[[UInt8]]>([])

        func append(_ line: [UInt8]) { lines.withLock { $0.append(line) } }

        /// Each line parsed; a line that is not one JSON object fails the test.
        func objects() throws -> [JSONValue] {
            try lines.withLock { $0 }.map { line in
                #expect(line.last == UInt8(ascii: "\n"))
                #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false, "one object per line")
                let value = try JSONParser.parse(Array(line.dropLast()))
                guard value.objectValue != nil else { throw TestFailure("not an object: \(String(decoding: line, as: UTF8.self))") }
                return value
            }
        }

        func objects(requestID: String) throws -> [JSONValue] {
            try objects().filter { $0["request_id"]?.stringValue == requestID }
        }
    }

    static func logger(_ lines: Lines) -> Logger {
        var logger = Logger(label: "json-tests") { label in JSONLogHandler(label: label, sink: lines.append) }
        logger.logLevel = .debug
        return logger
    }

    /// A login without a password: 422, which the error middleware logs at debug.
    static func invalidLogin(_ client: some TestClientProtocol, headers: HTTPFields) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(
            uri: "/api/v1/login/access-token", method: .post, headers: headers, body: ByteBuffer(string: "username=a"))
    }

    @Test func linesCarryTheRequestIDAndTheTraceOfAValidTraceparent() async throws {
        let lines = Lines()
        try await TestApp.run(logger: Self.logger(lines)) { _, client in
            let response = try await Self.invalidLogin(
                client,
                headers: [
                    RequestIdentifier.headerName: "req-traced-1",
                    TraceParent.headerName: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                ])
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[RequestIdentifier.headerName] == "req-traced-1")
            let logged = try lines.objects(requestID: "req-traced-1")
            let everything = try lines.objects()
            #expect(!logged.isEmpty, "no line for the request in \(everything)")
            for line in logged {
                #expect(line["trace_id"]?.stringValue == "4bf92f3577b34da6a3ce929d0e0e4736")
                #expect(line["metadata"]?["trace.parent_id"]?.stringValue == "00f067aa0ba902b7")
                #expect(line["level"]?.stringValue == "debug")
                #expect(line["timestamp"]?.stringValue != nil)
                #expect(line["message"]?.stringValue != nil)
            }
        }
    }

    static let malformed = [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has no more fields
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // short trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",  // flags not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "not a traceparent",
        "",
    ]

    @Test func malformedTraceparentIsIgnored() async throws {
        let lines = Lines()
        try await TestApp.run(logger: Self.logger(lines)) { _, client in
            for (index, header) in Self.malformed.enumerated() {
                #expect(TraceParent(header) == nil, "\(header)")
                let requestID = "req-malformed-\(index)"
                let response = try await Self.invalidLogin(
                    client, headers: [RequestIdentifier.headerName: requestID, TraceParent.headerName: header])
                #expect(response.status == .unprocessableContent, "\(header)")
                let logged = try lines.objects(requestID: requestID)
                #expect(!logged.isEmpty, "\(header)")
                for line in logged {
                    #expect(line["trace_id"] == nil, "\(header): \(line)")
                    #expect(line["metadata"]?["trace.parent_id"] == nil)
                }
            }
        }
    }

    @Test func laterVersionsKeepTheirTraceAndSkipExtraFields() {
        let trace = TraceParent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-whatever")
        #expect(trace?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace?.flags == 9)
        #expect(trace?.sampled == true)
        #expect(TraceParent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09whatever") == nil)
        #expect(trace?.description == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09")
    }
}
