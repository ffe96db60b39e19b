import Foundation
import TestProcesses
import Testing

/// `scripts/pgbench-from-log.py`, which turns PostgreSQL's statement log of one request into the
/// pgbench script of `make bench`'s limit rows, on log text as PostgreSQL 15 writes it
/// (`log_line_prefix = '%m [%p] '`, `log_min_duration_statement = 0`).
@Suite("pgbench script from the statement log")
struct PgbenchFromLogTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/pgbench-from-log.py")

    /// Runs the script on `log`; the script, the variables and the run's result.
    func convert(_ log: String) async throws -> (sql: String, variables: String, run: ToolRun.Result) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgbench-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("postgres.log")
        try log.write(to: input, atomically: true, encoding: .utf8)
        let sql = folder.appendingPathComponent("out.sql")
        let variables = folder.appendingPathComponent("out.vars")
        let run = try await ToolRun.run(
            "/bin/sh", ["-c", "python3 \"$0\" \"$1\" \"$2\" < \"$3\"", Self.script.path, sql.path, variables.path, input.path])
        return (
            (try? String(contentsOf: sql, encoding: .utf8)) ?? "", (try? String(contentsOf: variables, encoding: .utf8)) ?? "", run
        )
    }

    @Test func executedStatementsBecomeAScriptWithTheirParameters() async throws {
        let log = """
            2026-12-07 20:50:01.100 UTC [41] LOG:  duration: 0.020 ms  parse s1: SELECT "id" FROM "user" WHERE "id" = $1
            2026-12-07 20:50:01.101 UTC [41] LOG:  duration: 0.010 ms  bind s1: SELECT "id" FROM "user" WHERE "id" = $1
            2026-12-07 20:50:01.101 UTC [41] DETAIL:  parameters: $1 = '6f6db7ea-6889-4a51-9f85-26115f74ed4b'
            2026-12-07 20:50:01.102 UTC [41] LOG:  duration: 0.030 ms  execute s1: SELECT "id" FROM "user" WHERE "id" = $1
            2026-12-07 20:50:01.102 UTC [41] DETAIL:  parameters: $1 = '6f6db7ea-6889-4a51-9f85-26115f74ed4b'
            2026-12-07 20:50:01.103 UTC [41] LOG:  duration: 0.040 ms  execute s2: INSERT INTO "item" ("id", "title", "n")
            \tVALUES (COALESCE($1, gen_random_uuid()), $2, $10)
            2026-12-07 20:50:01.103 UTC [41] DETAIL:  parameters: $1 = NULL, $2 = 'it''s, $2 = ''x''', $10 = '7'
            2026-12-07 20:50:01.104 UTC [41] LOG:  duration: 0.010 ms  execute <unnamed>: SELECT count(*) FROM "item"
            """
        let (sql, variables, run) = try await convert(log)
        #expect(run.succeeded, "\(run.output)")
        #expect(
            sql == """
                SELECT "id" FROM "user" WHERE "id" = :s1p1;
                INSERT INTO "item" ("id", "title", "n")
                \tVALUES (COALESCE(NULL, gen_random_uuid()), :s2p2, :s2p10);
                SELECT count(*) FROM "item";

                """)
        #expect(variables == "s1p1=6f6db7ea-6889-4a51-9f85-26115f74ed4b\ns2p2=it's, $2 = 'x'\ns2p10=7\n")
    }

    @Test func anotherSessionsParametersAreNotTaken() async throws {
        let log = """
            2026-12-07 20:50:01.102 UTC [41] LOG:  duration: 0.030 ms  execute s1: SELECT $1
            2026-12-07 20:50:01.102 UTC [52] DETAIL:  parameters: $1 = 'other'
            2026-12-07 20:50:01.103 UTC [41] DETAIL:  parameters: $1 = 'mine'
            """
        let (sql, variables, run) = try await convert(log)
        #expect(run.succeeded, "\(run.output)")
        #expect(sql == "SELECT :s1p1;\n")
        #expect(variables == "s1p1=mine\n")
    }

    @Test func aLogWithoutExecutedStatementsIsAnError() async throws {
        let log = """
            2026-12-07 20:50:01.100 UTC [41] LOG:  duration: 0.020 ms  statement: SELECT 1
            2026-12-07 20:50:01.101 UTC [41] LOG:  checkpoint starting: time
            """
        let (sql, _, run) = try await convert(log)
        #expect(run.status == 1)
        #expect(run.output.contains("no executed statement"))
        #expect(sql.isEmpty)
    }

    @Test func aParameterWithoutAValueIsAnError() async throws {
        let log = "2026-12-07 20:50:01.102 UTC [41] LOG:  duration: 0.030 ms  execute s1: SELECT $1, $2\n"
        let (_, _, run) = try await convert(log)
        #expect(!run.succeeded)
        #expect(run.output.contains("uses $1 but the log shows no value for it"))
    }
}
