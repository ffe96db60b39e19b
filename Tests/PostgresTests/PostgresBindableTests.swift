import Foundation
import Testing

@testable import Postgres

/// Every bindable type goes in as a parameter and comes back out unchanged,
/// NULL included.
@Suite struct PostgresBindableTests {
    static let createTable: PostgresQuery = """
        CREATE TABLE everything (
            id serial PRIMARY KEY,
            u uuid, ts timestamptz, i8 bigint, i4 integer, i2 smallint,
            f8 double precision, f4 real, b boolean, t text, by bytea, j jsonb,
            ua uuid[], tsa timestamptz[], i8a bigint[], i4a integer[], f8a double precision[],
            ba boolean[], ta text[], bya bytea[]
        )
        """

    /// Inserts `value` into `column`, reads it back, and does the same with NULL.
    func roundTrip<T: PostgresBindable & PostgresDecodable & Equatable>(
        _ pool: PostgresPool, _ column: String, _ value: T, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let rows = try await pool.query(
            "INSERT INTO everything (\(identifier: column)) VALUES (\(value)) RETURNING \(identifier: column)")
        #expect(try rows[0].decode(T.self, column: column) == value, sourceLocation: sourceLocation)
        let nullRows = try await pool.query(
            "INSERT INTO everything (\(identifier: column)) VALUES (\(T?.none)) RETURNING \(identifier: column)")
        #expect(try nullRows[0].decode(T?.self, column: column) == nil, sourceLocation: sourceLocation)
        #expect(try nullRows[0].isNull(column), sourceLocation: sourceLocation)
    }

    @Test func scalarsRoundTrip() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.createTable)
            try await roundTrip(pool, "u", UUID())
            try await roundTrip(pool, "i8", Int.max)
            try await roundTrip(pool, "i8", Int.min)
            try await roundTrip(pool, "i8", Int64(-42))
            try await roundTrip(pool, "i4", Int32.max)
            try await roundTrip(pool, "i4", Int32.min)
            try await roundTrip(pool, "i2", Int16(-7))
            try await roundTrip(pool, "f8", 3.141592653589793)
            try await roundTrip(pool, "f8", -0.1)
            try await roundTrip(pool, "f8", 1e-300)
            try await roundTrip(pool, "f8", Double.infinity)
            try await roundTrip(pool, "f8", -Double.infinity)
            try await roundTrip(pool, "f4", Float(1.5))
            try await roundTrip(pool, "b", true)
            try await roundTrip(pool, "b", false)
            try await roundTrip(pool, "t", "")
            try await roundTrip(pool, "t", "héllo wörld 🌍 日本語 Ελληνικά")
            try await roundTrip(pool, "t", "quote ' double \" backslash \\ newline \n tab \t {braces,comma} NULL")
            try await roundTrip(pool, "by", [UInt8]())
            try await roundTrip(pool, "by", [0, 0, 255, 1, 0, 128] as [UInt8])
            try await roundTrip(pool, "by", Data([0, 1, 2, 0, 0]))
            try await roundTrip(pool, "by", Data())

            let nan = try await pool.query("INSERT INTO everything (f8) VALUES (\(Double.nan)) RETURNING f8")
            #expect(try nan[0].decode(Double.self, column: "f8").isNaN)
            // Int binds as bigint; assignment into an integer column still works.
            let narrowed = try await pool.query("INSERT INTO everything (i4) VALUES (\(123)) RETURNING i4")
            #expect(try narrowed[0].decode(Int.self, column: "i4") == 123)
        }
    }

    @Test func datesKeepMicroseconds() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.createTable)
            let dates = [
                Date(timeIntervalSince1970: 1_700_000_000.123456),
                Date(timeIntervalSince1970: 0),
                Date(timeIntervalSince1970: -1_234_567_890.5),
                Date(timeIntervalSince1970: 253_402_300_799.999999),  // 9999-12-31T23:59:59.999999Z
            ]
            for date in dates {
                let rows = try await pool.query("INSERT INTO everything (ts) VALUES (\(date)) RETURNING ts")
                let back = try rows[0].decode(Date.self, column: "ts")
                #expect(abs(back.timeIntervalSince(date)) < 0.000_001, "\(date) came back as \(back)")
            }
            let text = try await pool.query(
                "SELECT \(Date(timeIntervalSince1970: 1_700_000_000.123456))::text AS t")
            #expect(try text[0].decode(String.self, column: "t") == "2023-11-14 22:13:20.123456+00")
            let exact = Date(timeIntervalSince1970: 1_700_000_000.5)
            let rows = try await pool.query("SELECT \(exact) AS ts, \(exact)::date AS d")
            #expect(try rows[0].decode(Date.self, column: "ts") == exact)
            #expect(try rows[0].decode(Date.self, column: "d") == Date(timeIntervalSince1970: 1_699_920_000))
            let nullRows = try await pool.query("INSERT INTO everything (ts) VALUES (\(Date?.none)) RETURNING ts")
            #expect(try nullRows[0].decode(Date?.self, column: "ts") == nil)
        }
    }

    /// UUIDs go in binary (16 bytes), beside text values and NULLs in the same statement, and
    /// compare as uuids in a WHERE clause.
    @Test func binaryAndTextParametersMix() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.createTable)
            let id = UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")!
            #expect(id.postgresBinary()?.count == 16)
            #expect("text".postgresBinary() == nil)
            let inserted = try await pool.query(
                "INSERT INTO everything (t, u, i8, ua) VALUES (\("before"), \(id), \(Int?.none), \([id, UUID()])) RETURNING u::text AS text, ua[1] AS first"
            )
            #expect(try inserted[0].decode(String.self, column: "text") == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
            #expect(try inserted[0].decode(UUID.self, column: "first") == id)
            let found = try await pool.query("SELECT t FROM everything WHERE u = \(id) AND i8 IS NULL AND \(UUID?.none)::uuid IS NULL")
            #expect(try found.map { try $0.decode(String.self, column: "t") } == ["before"])
            #expect(try await pool.query("SELECT t FROM everything WHERE u = \(UUID())").isEmpty)
        }
    }

    /// A binary value of zero bytes is an empty value, not NULL, wherever it stands.
    @Test func anEmptyBinaryValueIsNotNull() async throws {
        struct EmptyBinary: PostgresBindable {
            static var postgresType: PostgresDataType { .bytea }
            static var postgresArrayType: PostgresDataType { .byteaArray }
            func postgresText() throws -> String? { "\\x" }
            func postgresBinary() -> [UInt8]? { [] }
        }
        try await TestDatabase.withSchema { pool, _ in
            let alone = try await pool.query("SELECT \(EmptyBinary()) IS NULL AS null, octet_length(\(EmptyBinary())) AS length")
            #expect(try alone[0].decode(Bool.self, column: "null") == false)
            #expect(try alone[0].decode(Int.self, column: "length") == 0)
            let afterText = try await pool.query("SELECT \("text") AS t, \(EmptyBinary()) IS NULL AS null")
            #expect(try afterText[0].decode(Bool.self, column: "null") == false)
        }
    }

    @Test func arraysRoundTrip() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.createTable)
            try await roundTrip(pool, "ua", [UUID(), UUID()])
            try await roundTrip(pool, "ua", [UUID]())
            try await roundTrip(pool, "i8a", [1, -2, Int.max])
            try await roundTrip(pool, "i8a", [Int]())
            try await roundTrip(pool, "i4a", [Int32(1), Int32.min])
            try await roundTrip(pool, "f8a", [1.5, -2.25, 0])
            try await roundTrip(pool, "ba", [true, false, true])
            try await roundTrip(pool, "ta", ["", "a,b", "{x}", "quote\"", "back\\slash", "NULL", " spaced ", "🌍"])
            try await roundTrip(pool, "ta", [String]())
            try await roundTrip(pool, "ta", ["a", nil, "NULL", nil] as [String?])
            try await roundTrip(pool, "bya", [[0, 0, 1], [], [255]] as [[UInt8]])
            try await roundTrip(pool, "bya", [Data([0]), Data()])

            let dates = [Date(timeIntervalSince1970: 1_700_000_000.25), Date(timeIntervalSince1970: 86_400.5)]
            let rows = try await pool.query("INSERT INTO everything (tsa) VALUES (\(dates)) RETURNING tsa")
            #expect(try rows[0].decode([Date].self, column: "tsa") == dates)

            // Arrays bind with their array type, so they work where the server
            // cannot infer one (unnest, ANY).
            let unnested = try await pool.query("SELECT x FROM unnest(\([3, 1, 2])) AS x ORDER BY x")
            #expect(try unnested.decode(Int.self) == [1, 2, 3])
            let any = try await pool.query("SELECT 2 = ANY(\([1, 2])) AS found")
            #expect(try any[0].decode(Bool.self, column: "found"))
        }
    }

    struct Payload: Codable, Equatable, Sendable {
        var name: String
        var count: Int
        var tags: [String]
        var when: Date
        var nested: [String: Double]?
    }

    @Test func jsonRoundTrips() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.createTable)
            let payload = Payload(
                name: "ünïcode \"quoted\"", count: 3, tags: ["a", "b"],
                when: Date(timeIntervalSince1970: 1_700_000_000.125), nested: ["x": 1.5])
            try await roundTrip(pool, "j", PostgresJSON(payload))
            let rows = try await pool.query("SELECT \(PostgresJSON(payload)) ->> 'name' AS name")
            #expect(try rows[0].decode(String.self, column: "name") == payload.name)
            let empty = try await pool.query("SELECT \(PostgresJSON([String: Int]())) AS j")
            #expect(try empty[0].decode(PostgresJSON<[String: Int]>.self, column: "j").value == [:])
        }
    }

    @Test func stringsBindUntypedSoTheServerPicksTheType() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.createTable)
            let id = UUID()
            let rows = try await pool.query(
                "INSERT INTO everything (u, ts) VALUES ($1, $2) RETURNING u, ts",
                [id.uuidString, "2024-02-29 12:00:00+00"])
            #expect(try rows[0].decode(UUID.self, column: "u") == id)
            #expect(try rows[0].decode(Date.self, column: "ts") == TimestampText.parse("2024-02-29T12:00:00Z"))
        }
    }

    /// PostgreSQL writes uuids lowercase and hyphenated, read directly; text in another form
    /// (a `text` column decoded as `UUID`) still reads when Foundation accepts it, and is an
    /// error naming the column when nothing does.
    @Test func uuidsReadInEveryForm() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let rows = try await pool.query(
                "SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS u, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::text AS t, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g'::text AS bad, 'a0eebc99+9c0b-4ef8-bb6d-6bb9bd380a11'::text AS hyphen"
            )
            let expected = UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
            #expect(try rows[0].decode(UUID.self, column: "u") == expected)
            #expect(try rows[0].decode(UUID.self, column: "t") == expected)
            #expect(throws: PostgresError.self) { try rows[0].decode(UUID.self, column: "bad") }
            #expect(throws: PostgresError.self) { try rows[0].decode(UUID.self, column: "hyphen") }
        }
    }

    @Test func stringWithNULIsRefused() async throws {
        try await TestDatabase.withSchema { pool, _ in
            await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT \("before\0after") AS t")
            }
        }
    }
}
