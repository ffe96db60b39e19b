import Foundation
import Testing

@testable import Postgres

/// Prepared statements whose columns are all of types read in binary get their results in
/// binary from their second run on; every value decodes to the same thing either way, and the
/// text a binary value converts to is the text PostgreSQL sends.
@Suite struct PostgresBinaryResultTests {
    /// One connection, so that every run goes through the same statement cache.
    private func withOneConnection<T>(
        binaryResults: Bool = true, _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        let configure: (inout PostgresConfiguration) -> Void = { $0.binaryResults = binaryResults }
        return try await TestDatabase.withSchema(maxConnections: 1, configure: configure) { pool, _ in
            try await body(pool)
        }
    }

    /// Runs `query` twice: the first result (text, the column types unknown) and the second.
    private func twice(_ query: PostgresQuery, on pool: PostgresPool) async throws -> (PostgresRows, PostgresRows) {
        let first = try await pool.query(query)
        let second = try await pool.query(query)
        return (first, second)
    }

    static let schema: PostgresQuery = """
        CREATE TABLE sample (
            position integer PRIMARY KEY,
            small smallint, regular integer, big bigint, flag boolean, id uuid,
            body text, label varchar(20), code char(5), tag name, document json, record jsonb,
            day date, local timestamp, instant timestamptz
        )
        """

    static let rows: PostgresQuery = """
        INSERT INTO sample VALUES
            (1, -32768, -2147483648, -9223372036854775808, false, '00000000-0000-0000-0000-000000000000',
             '', '', '', '', '[]', '{}', '4714-11-24 BC', '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC'),
            (2, 32767, 2147483647, 9223372036854775807, true, 'ffffffff-ffff-ffff-ffff-ffffffffffff',
             'Ünïcode ✓ "quoted" \\ back', 'ab', 'ab', 'pg_class', '{"b": 1,  "a": [true, null]}',
             '{"b": 1, "a": [true, null], "c": "ü"}', '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00'),
            (3, 0, 0, 0, true, '7c9e6679-7425-40de-944b-e07fc1f90ae7', E'line\\nbreak', 'x', 'abcde', 'x', '1.5', '"text"', '1999-12-31', '1999-12-31 23:59:59.999999',
             '1969-12-31 23:59:59.5+00'),
            (4, -1, -1, -1, false, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'x', 'y', 'z', 'y', 'null', 'null',
             '10000-01-01', '294276-12-31 23:59:59.999999', '2026-12-07 22:07:55.000001+00'),
            (5, 1, 1, 1, true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', 'y', 'z', 'q', 'z', '{}', '[1, 2.50]',
             'infinity', '-infinity', 'infinity'),
            (6, 2, 2, 2, false, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', 'z', 'w', 'r', 'w', '{}', '{}',
             '-infinity', 'infinity', '-infinity'),
            (7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """

    /// Every column as a `String`: from binary, the conversion must give PostgreSQL's own text.
    private func texts(_ rows: PostgresRows) throws -> [[String?]] {
        try rows.map { row in try (0..<row.columns.count).map { try row.decode(String?.self, at: $0) } }
    }

    @Test func aStatementOfReadableColumnsComesInBinaryFromItsSecondRun() async throws {
        try await withOneConnection { pool in
            try await pool.execute(Self.schema)
            try await pool.execute(Self.rows)
            let (first, second) = try await twice("SELECT * FROM sample ORDER BY position", on: pool)
            #expect(!first.result.isBinary)
            #expect(second.result.isBinary)
            #expect(try texts(second) == texts(first))
            // Spot checks of the text itself, as PostgreSQL writes it.
            let row = try texts(first)
            #expect(row[0][3] == "-9223372036854775808")
            #expect(row[0][12] == "4714-11-24 BC")
            #expect(row[0][14] == "4713-01-01 00:00:00+00 BC")
            #expect(row[1][8] == "ab   ")
            #expect(row[2][6] == "line\nbreak")
            #expect(row[2][14] == "1969-12-31 23:59:59.5+00")
            #expect(row[3][12] == "10000-01-01")
            #expect(row[4][12] == "infinity")
            #expect(row[6].dropFirst().allSatisfy { $0 == nil })
        }
    }

    @Test func nativeTypesDecodeTheSameValuesFromBinaryAsFromText() async throws {
        struct Sample: Decodable, Equatable {
            var position: Int
            var small: Int16?
            var regular: Int32?
            var big: Int64?
            var flag: Bool?
            var id: UUID?
            var body: String?
            var label: String?
            var code: String?
            var tag: String?
            var day: Date?
            var local: Date?
            var instant: Date?
        }
        try await withOneConnection { pool in
            try await pool.execute(Self.schema)
            try await pool.execute(Self.rows)
            let query: PostgresQuery = "SELECT * FROM sample WHERE position IN (1, 2, 3, 4, 5, 6, 7) ORDER BY position"
            let (first, second) = try await twice(query, on: pool)
            #expect(second.result.isBinary)
            for (text, binary) in zip(first, second) {
                // By position, as the generated repositories read rows.
                #expect(try text.decode(Int16?.self, at: 1) == binary.decode(Int16?.self, at: 1))
                #expect(try text.decode(Int?.self, at: 2) == binary.decode(Int?.self, at: 2))
                #expect(try text.decode(Int64?.self, at: 3) == binary.decode(Int64?.self, at: 3))
                #expect(try text.decode(Bool?.self, at: 4) == binary.decode(Bool?.self, at: 4))
                #expect(try text.decode(UUID?.self, at: 5) == binary.decode(UUID?.self, at: 5))
                for column in 12...14 {
                    #expect(try text.decode(Date?.self, at: column) == binary.decode(Date?.self, at: column))
                }
                // Through `Decodable`, JSON included.
                #expect(try text.decode(Sample.self) == binary.decode(Sample.self))
            }
            #expect(try second[1].decode(Int16?.self, at: 1) == .max)
            #expect(try second[0].decode(Int64?.self, at: 3) == .min)
            #expect(try second[4].decode(Date?.self, at: 12) == .distantFuture)
            #expect(try second[5].decode(Date?.self, at: 13) == .distantFuture)
            #expect(try second[5].decode(Date?.self, at: 14) == .distantPast)
        }
    }

    @Test func fiveThousandYearsOfTimesReadTheSameBothWays() async throws {
        try await withOneConnection { pool in
            // Steps of an odd length with microseconds, from before year 1 to after 9999.
            let query: PostgresQuery = """
                SELECT t AS instant, t::timestamp AS local, t::date AS day
                FROM (SELECT timestamptz '0101-03-01 00:00:00+00 BC' + n * interval '1237 days 13:17:19.123457' AS t
                      FROM generate_series(0, 2500) AS n) AS steps
                """
            let (first, second) = try await twice(query, on: pool)
            #expect(second.result.isBinary)
            #expect(first.count == 2501)
            #expect(try texts(second) == texts(first))
            for (text, binary) in zip(first, second) {
                for column in 0..<3 {
                    #expect(try text.decode(Date.self, at: column) == binary.decode(Date.self, at: column))
                }
            }
        }
    }

    @Test func aColumnOfAnotherTypeKeepsTheStatementInText() async throws {
        try await withOneConnection { pool in
            try await pool.execute("CREATE TYPE mood AS ENUM ('calm', 'busy')")
            for query: PostgresQuery in [
                "SELECT 1::integer AS n, 2.5::numeric AS amount", "SELECT 1::integer AS n, 0.1::float8 AS ratio",
                "SELECT 1::integer AS n, '\\x0001'::bytea AS blob", "SELECT 1::integer AS n, ARRAY[1, 2] AS list",
                "SELECT 1::integer AS n, 'calm'::mood AS mood",
            ] {
                let (_, second) = try await twice(query, on: pool)
                #expect(!second.result.isBinary, "\(query.sql)")
            }
            let (_, rows) = try await twice("SELECT 1::integer AS n, 2.50::numeric AS amount", on: pool)
            #expect(try rows[0].decode(String.self, at: 1) == "2.50")
        }
    }

    @Test func aSessionOutsideUTCGetsDatesAndTimesInText() async throws {
        try await withOneConnection { pool in
            let times: PostgresQuery = "SELECT timestamptz '2026-12-07 22:07:55+00' AS instant"
            let numbers: PostgresQuery = "SELECT 42::bigint AS answer"
            _ = try await twice(times, on: pool)
            try await pool.execute("SET TimeZone = 'Europe/Berlin'")
            let local = try await pool.query(times)
            #expect(!local.result.isBinary)
            #expect(try local[0].decode(String.self, at: 0) == "2026-12-07 23:07:55+01")
            #expect(try local[0].decode(Date.self, at: 0) == Date(timeIntervalSince1970: 1_796_681_275))
            let (_, answer) = try await twice(numbers, on: pool)
            #expect(answer.result.isBinary)
            try await pool.execute("SET DateStyle = 'SQL, DMY'")
            try await pool.execute("SET TimeZone = 'UTC'")
            #expect(try await !pool.query(times).result.isBinary)
            try await pool.execute("RESET DateStyle")
            let back = try await pool.query(times)
            #expect(back.result.isBinary)
            #expect(try back[0].decode(String.self, at: 0) == "2026-12-07 22:07:55+00")
            // Other names of UTC are UTC.
            try await pool.execute("SET TimeZone = 'Etc/UTC'")
            #expect(try await pool.query(times).result.isBinary)
            // A name it does not list gets text: slower, never wrong.
            try await pool.execute("SET TimeZone = 'Etc/GMT+0'")
            #expect(try await !pool.query(times).result.isBinary)
        }
    }

    @Test func aColumnWhoseTypeChangedIsReadInItsNewFormat() async throws {
        try await withOneConnection { pool in
            try await pool.execute("CREATE TABLE counter (value integer)")
            try await pool.execute("INSERT INTO counter VALUES (7)")
            let query: PostgresQuery = "SELECT * FROM counter"
            let (_, binary) = try await twice(query, on: pool)
            #expect(binary.result.isBinary)
            try await pool.execute("ALTER TABLE counter ALTER COLUMN value TYPE numeric(10, 2)")
            // The cached plan's result changed: the statement is prepared again, its results text.
            let changed = try await pool.query(query)
            #expect(!changed.result.isBinary)
            #expect(try changed[0].decode(String.self, at: 0) == "7.00")
            #expect(try changed[0].decode(Double.self, at: 0) == 7)
        }
    }

    @Test func unnamedStatementsAreText() async throws {
        let configure: (inout PostgresConfiguration) -> Void = { $0.usePreparedStatements = false }
        try await TestDatabase.withSchema(maxConnections: 1, configure: configure) { pool, _ in
            let (_, second) = try await twice("SELECT 1::integer AS n, now() AS at", on: pool)
            #expect(!second.result.isBinary)
            #expect(try second[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func turnedOffEveryResultIsText() async throws {
        try await withOneConnection(binaryResults: false) { pool in
            let (_, second) = try await twice("SELECT 1::integer AS n", on: pool)
            #expect(!second.result.isBinary)
            #expect(try second[0].decode(Int.self, at: 0) == 1)
        }
    }
}

/// Binary values that do not have their type's shape fail with a decoding error; none crashes.
@Suite struct PostgresBinaryDecoderTests {
    private func decode<T: PostgresDecodable>(_: T.Type, _ bytes: [UInt8], _ type: PostgresDataType) throws -> T {
        try bytes.withUnsafeBytes { try T.decode(postgresBinary: $0, type: type) }
    }

    @Test func wrongLengthsAreRefused() {
        #expect(throws: PostgresDecodingFailure.self) { try decode(UUID.self, Array(repeating: 1, count: 15), .uuid) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(Int32.self, [0, 0, 1], .int4) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(Int.self, [0, 0, 0, 0, 0, 0, 0, 0, 1], .int8) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(Bool.self, [], .bool) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(Date.self, [0, 0, 0], .date) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(String.self, [0, 0, 0], .timestamptz) }
    }

    @Test func valuesOutOfTheTargetsRangeAreRefusedAsTheirTextWouldBe() throws {
        let big: [UInt8] = [0, 1, 0x11, 0x70]  // 70,000 as int4
        #expect(throws: PostgresDecodingFailure.self) { try decode(Int16.self, big, .int4) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(UInt8.self, [0xFF, 0xFF], .int2) }
        #expect(try decode(Int64.self, big, .int4) == 70_000)
        #expect(try decode(String.self, big, .int4) == "70000")
        #expect(try decode(Double.self, big, .int4) == 70_000)
    }

    @Test func otherShapesAreRefused() {
        #expect(throws: PostgresDecodingFailure.self) { try decode(String.self, [2, 0x7B, 0x7D], .jsonb) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(String.self, [], .jsonb) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(String.self, [1, 2], .numeric) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(Int.self, Array("12a".utf8), .text) }
        #expect(throws: PostgresDecodingFailure.self) { try decode(UUID.self, [1], .int2) }
    }

    @Test func conversionsToTextMatchPostgreSQLsOutput() throws {
        #expect(try decode(String.self, [1, 0x7B, 0x7D], .jsonb) == "{}")
        #expect(try decode(String.self, [1], .bool) == "t")
        #expect(try decode(String.self, Array(repeating: 0xAB, count: 16), .uuid) == "abababab-abab-abab-abab-abababababab")
        #expect(try decode(String.self, [0x7F, 0xFF, 0xFF, 0xFF], .date) == "infinity")
        #expect(try decode(String.self, [0x80, 0, 0, 0, 0, 0, 0, 0], .timestamp) == "-infinity")
        #expect(try decode(String.self, [0, 0, 0, 0, 0, 0, 0, 1], .timestamptz) == "2000-01-01 00:00:00.000001+00")
        #expect(try decode(String.self, [0xFF, 0xFF, 0xFF, 0xFF], .date) == "1999-12-31")
    }
}
