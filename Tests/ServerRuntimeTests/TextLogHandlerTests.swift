import Logging
import ServerRuntime
import Synchronization
import Testing

/// `TextLogHandler`: swift-log's text layout, with metadata rendered only when a record is
/// written.
@Suite("Text log handler")
struct TextLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: [UInt8]) { lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) } }
        var all: [String] { lines.withLock { $0 } }
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "refused" }
    }

    static func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "server") { label in TextLogHandler(label: label, sink: lines.append) }
        logger.logLevel = level
        return logger
    }

    @Test func aRecordIsOneLineInStreamLogHandlersLayout() throws {
        let lines = Lines()
        var logger = Self.logger(lines)
        logger[metadataKey: "hb.request.id"] = "abc"
        logger[metadataKey: "a.first"] = .stringConvertible(42)
        logger.warning("database slow", metadata: ["took": "2s"], source: "App")
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.hasSuffix(" warning server: a.first=42 hb.request.id=abc took=2s [App] database slow\n"))
        // A local timestamp with its offset, as StreamLogHandler writes it.
        let timestamp = try #require(line.split(separator: " ").first)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil, "\(timestamp)")
    }

    @Test func withoutMetadataTheLabelIsFollowedByTheSource() throws {
        let lines = Lines()
        Self.logger(lines).info("serving", source: "Server")
        #expect(try #require(lines.all.first).hasSuffix(" info server: [Server] serving\n"))
    }

    @Test func anErrorIsWrittenAsMetadata() throws {
        let lines = Lines()
        Self.logger(lines).error("request failed", error: Refused(), source: "App")
        let line = try #require(lines.all.first)
        #expect(line.contains(" error.message=refused "), "\(line)")
        #expect(line.contains(" error.type=ServerRuntimeTests.TextLogHandlerTests.Refused "), "\(line)")
    }

    /// Below the level nothing is written, and metadata set on the logger is never rendered:
    /// a value whose description would fail the test is set but not logged.
    @Test func metadataIsRenderedOnlyForAWrittenRecord() {
        struct Unrenderable: CustomStringConvertible, Sendable {
            var description: String {
                Issue.record("rendered a record's metadata that was never written")
                return ""
            }
        }
        let lines = Lines()
        var logger = Self.logger(lines, level: .error)
        logger[metadataKey: "never"] = .stringConvertible(Unrenderable())
        logger.debug("not written")
        #expect(lines.all.isEmpty)
        #expect(logger[metadataKey: "never"] != nil)
    }
}
