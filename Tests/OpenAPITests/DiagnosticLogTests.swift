import OpenAPI
import Testing

/// When `specgen lint` fails: on an error always, on a warning only when strict.
@Suite struct DiagnosticLogTests {
    let location = SourceLocation(file: "spec.yaml", line: 3, column: 5)

    @Test func nothingFailsNeither() {
        let log = DiagnosticLog()
        #expect(!log.fails(strict: false))
        #expect(!log.fails(strict: true))
    }

    @Test func aWarningFailsOnlyAStrictCheck() {
        var log = DiagnosticLog()
        log.warning("callbacks are not generated", at: location)
        #expect(!log.fails(strict: false))
        #expect(log.fails(strict: true))
    }

    @Test func anErrorFailsEither() {
        var log = DiagnosticLog()
        log.error("unresolved $ref", at: location)
        #expect(log.fails(strict: false))
        #expect(log.fails(strict: true))
    }

    @Test func warningsPastTheLimitStillCount() {
        var log = DiagnosticLog()
        log.limit = 1
        log.error("unresolved $ref", at: location)
        log.warning("dropped from the output", at: location)
        #expect(log.entries.count == 1)
        #expect(log.warningCount == 1)

        var warningsOnly = DiagnosticLog()
        warningsOnly.limit = 0
        warningsOnly.warning("dropped from the output", at: location)
        #expect(warningsOnly.entries.isEmpty)
        #expect(!warningsOnly.fails(strict: false))
        #expect(warningsOnly.fails(strict: true))
    }
}
