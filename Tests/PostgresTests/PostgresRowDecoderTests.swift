import Foundation
import Testing

@testable import Postgres

/// Rows decode into the generated models' `Codable` structs by column name.
@Suite struct PostgresRowDecoderTests {
    enum Status: String, Codable, Equatable {
        case open, done
    }

    struct Metadata: Codable, Equatable {
        var color: String
        var weight: Double
        var seen: Date
    }

    struct ItemRow: Codable, Equatable {
        var id: UUID
        var title: String
        var description: String?
        var ownerID: UUID
        var createdAt: Date
        var tags: [String]
        var priority: Int
        var score: Double
        var isDone: Bool
        var status: Status
        var statuses: [Status]
        var metadata: Metadata
        var history: [Metadata]?
        var thumbnail: Data?
        var counts: [Int32]

        enum CodingKeys: String, CodingKey {
            case id, title, description, tags, priority, score, status, statuses, metadata, history, thumbnail, counts
            case ownerID = "owner_id"
            case createdAt = "created_at"
            case isDone = "is_done"
        }
    }

    static let schema: PostgresQuery = """
        CREATE TABLE item (
            id uuid PRIMARY KEY,
            title varchar(255) NOT NULL,
            description text,
            owner_id uuid NOT NULL,
            created_at timestamptz NOT NULL,
            tags text[] NOT NULL,
            priority integer NOT NULL,
            score double precision NOT NULL,
            is_done boolean NOT NULL,
            status text NOT NULL CHECK (status IN ('open', 'done')),
            statuses text[] NOT NULL,
            metadata jsonb NOT NULL,
            history jsonb,
            thumbnail bytea,
            counts integer[] NOT NULL
        )
        """

    func insert(_ item: ItemRow, into pool: PostgresPool) async throws {
        try await pool.query(
            """
            INSERT INTO item (id, title, description, owner_id, created_at, tags, priority, score, is_done,
                              status, statuses, metadata, history, thumbnail, counts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """,
            [
                item.id, item.title, item.description, item.ownerID, item.createdAt, item.tags, item.priority,
                item.score, item.isDone, item.status.rawValue, item.statuses.map(\.rawValue),
                PostgresJSON(item.metadata), item.history.map { PostgresJSON($0) },
                item.thumbnail, item.counts,
            ])
    }

    @Test func decodesCodableStruct() async throws {
        try await TestDatabase.withSchema { pool, _ in
            try await pool.execute(Self.schema)
            let seen = Date(timeIntervalSince1970: 1_700_000_000.5)
            let full = ItemRow(
                id: UUID(), title: "Ünïcode title", description: "desc", ownerID: UUID(),
                createdAt: Date(timeIntervalSince1970: 1_700_000_123.25), tags: ["a", "b,c"], priority: 3,
                score: 0.5, isDone: true, status: .done, statuses: [.open, .done],
                metadata: Metadata(color: "red", weight: 1.25, seen: seen),
                history: [Metadata(color: "blue", weight: 2, seen: seen)], thumbnail: Data([0, 1, 0]), counts: [1, 2])
            let sparse = ItemRow(
                id: UUID(), title: "", description: nil, ownerID: UUID(),
                createdAt: Date(timeIntervalSince1970: 0), tags: [], priority: -1, score: -0.0,
                isDone: false, status: .open, statuses: [],
                metadata: Metadata(color: "", weight: 0, seen: seen), history: nil, thumbnail: nil, counts: [])
            try await insert(full, into: pool)
            try await insert(sparse, into: pool)

            let rows = try await pool.query("SELECT * FROM item ORDER BY priority DESC")
            #expect(try rows.decode(ItemRow.self) == [full, sparse])
            let single = try await pool.query("SELECT * FROM item WHERE id = \(full.id)")
            #expect(try single.first?.decode(ItemRow.self) == full)
        }
    }

    /// A model without explicit keys still finds snake_case columns.
    struct CamelCaseRow: Decodable, Equatable {
        var ownerId: Int
        var createdAt: Date
        var fullName: String?
    }

    @Test func camelCaseKeysFindSnakeCaseColumns() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let date = Date(timeIntervalSince1970: 1_600_000_000)
            let rows = try await pool.query(
                "SELECT 7 AS owner_id, \(date) AS created_at, NULL::text AS full_name")
            #expect(try rows[0].decode(CamelCaseRow.self) == CamelCaseRow(ownerId: 7, createdAt: date, fullName: nil))
        }
    }

    @Test func columnAccessByNameAndIndex() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let rows = try await pool.query("SELECT 1 AS one, 'two'::text AS two, NULL::int AS nothing")
            let row = try #require(rows.first)
            #expect(rows.count == 1)
            #expect(rows.columns.map(\.name) == ["one", "two", "nothing"])
            #expect(rows.columns.map(\.type) == [.int4, .text, .int4])
            #expect(try row.decode(Int.self, at: 0) == 1)
            #expect(try row.decode(String.self, column: "two") == "two")
            #expect(try row.decode(Int?.self, column: "nothing") == nil)
            #expect(throws: PostgresError.columnNotFound("missing")) { try row.decode(Int.self, column: "missing") }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "nothing") }
            #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "two") }
            // A single-column result decodes as the value itself.
            let count = try await pool.query("SELECT count(*) FROM generate_series(1, 5)")
            #expect(try count[0].decode(Int.self) == 5)
            let tag = try await pool.query("SELECT * FROM generate_series(1, 3)")
            #expect(tag.commandTag == "SELECT 3")
            #expect(tag.affectedRows == 3)
        }
    }

    /// Names are found byte for byte in the result itself: the first of duplicates, never a
    /// name that only starts the same, case and non-ASCII letters as the query wrote them.
    @Test func columnNamesMatchExactlyAndTheFirstDuplicateWins() async throws {
        try await TestDatabase.withSchema { pool, _ in
            let rows = try await pool.query(
                #"SELECT 1 AS id, 2 AS id2, 3 AS id, 4 AS "Été", 5 AS "ID", 6 AS """""#)
            let row = try #require(rows.first)
            #expect(row.columnIndex("id") == 0)
            #expect(try row.decode(Int.self, column: "id") == 1)
            #expect(try row.decode(Int.self, column: "id2") == 2)
            #expect(try row.decode(Int.self, column: "Été") == 4)
            #expect(try row.decode(Int.self, column: "ID") == 5)
            #expect(try row.decode(Int.self, column: "\"") == 6)
            #expect(row.columnIndex("i") == nil)
            #expect(row.columnIndex("id22") == nil)
            #expect(row.columnIndex("été") == nil)
            #expect(row.columnIndex("id\u{0}") == nil)
            #expect(row.columnIndex("") == nil)
            #expect(rows.columns.map(\.name) == ["id", "id2", "id", "Été", "ID", "\""])
        }
    }
}
