import Foundation
import Postgres
import ServerRuntime
import Synchronization
import Testing

/// Repositories specgen wrote (`Generated/`, from Tests/CodeGenTests/Database/Fixtures/tables.yaml)
/// for tables unlike the example's, against PostgreSQL with the schema specgen wrote for them: a
/// serial key, keyword-named columns, enum, jsonb and array columns, a key that is a foreign key,
/// a composite key over two foreign keys, a unique index, a date default.
@Suite struct GeneratedRepositoryFixtureTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CodeGenTests/Database/Fixtures/tables-schema.sql")

    func withTables(_ body: (PostgresPool) async throws -> Void) async throws {
        try await TestDatabase.withSchema { pool, _ in
            _ = try await pool.execute(PostgresQuery(unsafeSQL: try String(contentsOf: Self.schema, encoding: .utf8)))
            try await body(pool)
        }
    }

    @Test func enumsJSONArraysAndKeywordColumnsRoundTrip() async throws {
        try await withTables { pool in
            let accounts = AccountRepository(pool)
            let first = try await accounts.insert(
                .init(
                    handle: "ada", default: "home", class: "first", state: .open, settings: AccountRowSettings(theme: "dark"),
                    flags: [.beta, .staff]))
            #expect(first.id > 0)
            #expect(first.default == "home" && first.class == "first")
            #expect(first.state == .open && first.settings?.theme == "dark" && first.flags == [.beta, .staff])
            #expect(try await accounts.find(id: first.id) == first)
            #expect(try await accounts.find(handle: "ada") == first)
            #expect(try await accounts.findAll(class: "first").map(\.id) == [first.id])

            let second = try await accounts.insert(.init(handle: "bob", state: .closed))
            #expect(second.id > first.id && second.settings == nil && second.flags == nil)
            await #expect(throws: AccountRepository.Violation.duplicateHandle) {
                try await accounts.insert(.init(handle: "ada", state: .open))
            }
            let changed = try #require(try await accounts.update(id: first.id, .init(default: .null, state: .closed, flags: .value([]))))
            #expect(changed.default == nil && changed.state == .closed && changed.flags == [] && changed.handle == "ada")
            // The serial key's order, offset and keyset alike.
            #expect(try await accounts.list().map(\.id) == [first.id, second.id])
            #expect(try await accounts.list(after: AccountRepository.Cursor(after: first)).map(\.id) == [second.id])
            #expect(try await accounts.count() == 2)

            let teams = TeamRepository(pool)
            let team = try await teams.insert(.init(name: "core", tags: ["a", "b"], extra: .object(["n": .integer(1)])))
            #expect(team.tags == ["a", "b"] && team.extra == .object(["n": .integer(1)]))
        }
    }

    @Test func compositeAndForeignKeysAreTypedViolations() async throws {
        try await withTables { pool in
            let account = try await AccountRepository(pool).insert(.init(handle: "ada", state: .open))
            let team = try await TeamRepository(pool).insert(.init(name: "core"))
            let memberships = MembershipRepository(pool)
            let member = try await memberships.insert(.init(accountId: account.id, teamId: team.id, nickname: "a", role: .owner))
            // `x-db-default: CURRENT_DATE` on a `format: date` column.
            #expect(member.joined?.count == 10)
            #expect(try await memberships.find(accountId: account.id, teamId: team.id) == member)
            #expect(try await memberships.find(accountId: account.id, nickname: "a") == member)
            await #expect(throws: MembershipRepository.Violation.duplicateAccountIdTeamId) {
                try await memberships.insert(.init(accountId: account.id, teamId: team.id, nickname: "b", role: .member))
            }
            let other = try await TeamRepository(pool).insert(.init(name: "other"))
            await #expect(throws: MembershipRepository.Violation.duplicateAccountIdNickname) {
                try await memberships.insert(.init(accountId: account.id, teamId: other.id, nickname: "a", role: .member))
            }
            await #expect(throws: MembershipRepository.Violation.missingTeamId) {
                try await memberships.insert(.init(accountId: account.id, teamId: UUID(), nickname: "c", role: .guest))
            }
            #expect(try await memberships.count(accountId: account.id) == 1)
            #expect(try await memberships.count(teamId: other.id) == 0)
            #expect(try await memberships.delete(accountId: account.id, teamId: team.id))

            // One profile per account: its key is the foreign key.
            let profiles = ProfileRepository(pool)
            let profile = try await profiles.insert(.init(accountId: account.id, bio: "hi"))
            #expect(try await profiles.find(accountId: account.id) == profile)
            await #expect(throws: ProfileRepository.Violation.duplicateAccountId) {
                try await profiles.insert(.init(accountId: account.id))
            }
            await #expect(throws: ProfileRepository.Violation.missingAccountId) {
                try await profiles.insert(.init(accountId: account.id + 1000))
            }
            let seen = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await profiles.update(accountId: account.id, .init(seenAt: .value(seen)))?.seenAt == seen)
        }
    }

    /// `page` asks for the count and the page in one `query(pipelining:)` call (one round trip on
    /// the pool or a connection), and is as right on a queryable that only has the default, which
    /// runs them one after another.
    /// `insertStatement(_:onlyIf:)` writes only when its condition holds for the new row, with
    /// the defaults and types of `insert`, and goes out in one round trip with a lookup.
    @Test func guardedInsertWritesOnlyWhenItsConditionHolds() async throws {
        try await withTables { pool in
            let open = try await AccountRepository(pool).insert(.init(handle: "ada", state: .open))
            let closed = try await AccountRepository(pool).insert(.init(handle: "bob", state: .closed))
            let team = try await TeamRepository(pool).insert(.init(name: "core"))
            let openAccount = #"EXISTS (SELECT 1 FROM "account" WHERE "account"."id" = "new"."account_id" AND "state" = 'open')"#
            let refused = try await pool.fetch(
                MembershipRepository.insertStatement(
                    .init(accountId: closed.id, teamId: team.id, nickname: "b", role: .member), onlyIf: openAccount))
            #expect(refused == nil)
            #expect(try await MembershipRepository(pool).find(accountId: closed.id, teamId: team.id) == nil)

            let (member, account) = try await pool.fetch(
                MembershipRepository.insertStatement(
                    .init(accountId: open.id, teamId: team.id, nickname: "a", role: .owner, score: 1.5), onlyIf: openAccount),
                AccountRepository.findStatement(id: open.id))
            let stored = try #require(member)
            #expect(account?.handle == "ada")
            #expect(stored.joined?.count == 10)  // the column's default, as `insert` fills it
            #expect(stored.score == 1.5)
            #expect(try await MembershipRepository(pool).find(accountId: open.id, teamId: team.id) == stored)

            // A value too long for its `varchar(30)` is refused, not cut: the cast keeps no length.
            let long = String(repeating: "x", count: 31)
            await #expect(throws: PostgresError.self) {
                try await pool.fetch(AccountRepository.insertStatement(.init(handle: long, state: .open), onlyIf: "true"))
            }
            #expect(try await AccountRepository(pool).find(handle: long) == nil)
        }
    }

    @Test func pageSendsItsTwoStatementsTogether() async throws {
        try await withTables { pool in
            let memberships = MembershipRepository(pool)
            let team = try await TeamRepository(pool).insert(.init(name: "core"))
            for handle in ["ada", "bob", "cy"] {
                let account = try await AccountRepository(pool).insert(.init(handle: handle, state: .open))
                _ = try await memberships.insert(.init(accountId: account.id, teamId: team.id, nickname: handle, role: .member))
            }
            let expected = try await memberships.list(teamId: team.id, skip: 1, limit: 1)
            #expect(expected.count == 1)

            let pipelining = Pipelining(pool: pool)
            let page = try await MembershipRepository(pipelining).page(teamId: team.id, skip: 1, limit: 1)
            #expect(page.count == 3 && page.rows == expected)
            #expect(pipelining.calls.all == ["pipelining 2"])

            let sequential = Sequential(pool: pool)
            let again = try await MembershipRepository(sequential).page(teamId: team.id, skip: 1, limit: 1)
            #expect(again.count == 3 && again.rows == expected)
            #expect(sequential.calls.all == ["query", "query"])

            let inTransaction = try await pool.transaction { try await MembershipRepository($0).page(teamId: team.id, skip: 1, limit: 1) }
            #expect(inTransaction.count == 3 && inTransaction.rows == expected)
        }
    }

    /// Two `findStatement`s fetched together go out in one `query(pipelining:)` call; a lookup by
    /// text no row can hold sends nothing; on a queryable with only the default, or inside a
    /// transaction, the values are the same.
    @Test func lookupsFetchedTogetherShareOneCall() async throws {
        try await withTables { pool in
            let ada = try await AccountRepository(pool).insert(.init(handle: "ada", state: .open))
            let team = try await TeamRepository(pool).insert(.init(name: "core"))

            let pipelining = Pipelining(pool: pool)
            let (account, found) = try await pipelining.fetch(
                AccountRepository.findStatement(handle: "ada"), TeamRepository.findStatement(id: team.id))
            #expect(account == ada && found == team)
            #expect(pipelining.calls.all == ["pipelining 2"])

            let missing = try await pipelining.fetch(
                AccountRepository.findStatement(id: ada.id + 1000), TeamRepository.findStatement(id: team.id))
            #expect(missing.0 == nil && missing.1 == team)

            // A NUL cannot be stored in text: known to find nothing, only the other statement runs.
            let unstorable = Pipelining(pool: pool)
            let (none, alone) = try await unstorable.fetch(
                AccountRepository.findStatement(handle: "a\u{0}da"), TeamRepository.findStatement(id: team.id))
            #expect(none == nil && alone == team)
            #expect(unstorable.calls.all == ["query"])
            let neither = Pipelining(pool: pool)
            let both = try await neither.fetch(
                AccountRepository.findStatement(handle: "\u{0}"), AccountRepository.findStatement(handle: "\u{0}x"))
            #expect(both.0 == nil && both.1 == nil && neither.calls.all.isEmpty)

            let sequential = Sequential(pool: pool)
            let again = try await sequential.fetch(AccountRepository.findStatement(id: ada.id), TeamRepository.findStatement(id: team.id))
            #expect(again.0 == ada && again.1 == team)
            #expect(sequential.calls.all == ["query", "query"])

            let inTransaction = try await pool.transaction {
                try await $0.fetch(AccountRepository.findStatement(id: ada.id), TeamRepository.findStatement(id: team.id))
            }
            #expect(inTransaction.0 == ada && inTransaction.1 == team)
            #expect(try await AccountRepository(pool).find(handle: "a\u{0}da") == nil)
        }
    }

    /// A failing statement fails the fetch with its own error, whichever of the two it is.
    @Test func fetchThrowsTheFailingStatementsError() async throws {
        try await withTables { pool in
            let broken = PostgresStatement<Int>(PostgresQuery(unsafeSQL: "SELECT 1 / 0", binds: [])) { try $0[0].decode(Int.self) }
            let fine = PostgresStatement<Int>(PostgresQuery(unsafeSQL: "SELECT 2", binds: [])) { try $0[0].decode(Int.self) }
            for (first, second) in [(broken, fine), (fine, broken)] {
                await #expect {
                    try await pool.fetch(first, second)
                } throws: { error in
                    (error as? PostgresError)?.sqlState == "22012"
                }
            }
            let alone = try await pool.fetch(fine)
            #expect(alone == 2)
            let pair = try await pool.fetch(PostgresStatement.known(3), fine)
            #expect(pair == (3, 2))
        }
    }
}

/// What a recording queryable was asked.
private final class Calls: Sendable {
    private let recorded = Mutex<[String]>([])

    var all: [String] { recorded.withLock { $0 } }

    func record(_ call: String) {
        recorded.withLock { $0.append(call) }
    }
}

/// Passes statements to the pool, pipelined ones too, and records what it is asked.
private struct Pipelining: PostgresQueryable {
    let pool: PostgresPool
    let calls = Calls()

    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        calls.record("query")
        return try await pool.query(query)
    }

    func query(pipelining queries: [PostgresQuery]) async throws -> [PostgresRows] {
        calls.record("pipelining \(queries.count)")
        return try await pool.query(pipelining: queries)
    }
}

/// Has only the protocol's default `query(pipelining:)`: one statement after another.
private struct Sequential: PostgresQueryable {
    let pool: PostgresPool
    let calls = Calls()

    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        calls.record("query")
        return try await pool.query(query)
    }
}
