import Foundation
import Postgres
import ServerRuntime
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
}
