import API
import App
import Database
import Foundation
import Postgres
import ServerRuntime
import Testing

/// The repositories specgen wrote into `Generated/Database` for the example's tables, against
/// the real PostgreSQL the migrations built: what the snippet tests show as text, run.
@Suite("Generated repositories")
struct GeneratedRepositoryTests {
    @Test func insertFillsDefaultsAndViolationsAreTyped() async throws {
        try await TestApp.run { app, _ in
            let users = app.dependencies.users
            let items = app.dependencies.items
            let owner = try await app.createUser(email: "owner@example.com")
            let item = try await items.insert(.init(title: "first", ownerId: owner.id))
            #expect(item.ownerId == owner.id)
            #expect(item.description == nil)
            #expect(abs(item.createdAt.timeIntervalSinceNow) < 60)
            #expect(try await items.find(id: item.id) == item)

            await #expect(throws: UserRepository.Violation.duplicateEmail) {
                try await users.insert(.init(email: "owner@example.com", hashedPassword: "x"))
            }
            await #expect(throws: ItemRepository.Violation.missingOwnerId) {
                try await items.insert(.init(title: "orphan", ownerId: UUID()))
            }
            await #expect(throws: ItemRepository.Violation.duplicateId) {
                try await items.insert(.init(id: item.id, title: "again", ownerId: owner.id))
            }
            #expect(ItemRepository.Violation.missingOwnerId.constraint == "item_owner_id_fkey")
            // An update that breaks a constraint throws the same typed error.
            let other = try await app.createUser(email: "other@example.com")
            await #expect(throws: UserRepository.Violation.duplicateEmail) {
                try await users.update(id: other.id, .init(email: "owner@example.com"))
            }
        }
    }

    /// Absent leaves a column, a value sets it, `.null` clears a nullable one; an unknown key is nil.
    @Test func partialUpdateTellsAbsentFromNull() async throws {
        try await TestApp.run { app, _ in
            let items = app.dependencies.items
            let owner = try await app.createUser(email: "owner@example.com")
            let item = try await items.insert(.init(title: "title", description: "described", ownerId: owner.id))

            let retitled = try #require(try await items.update(id: item.id, .init(title: "retitled")))
            #expect(retitled.title == "retitled")
            #expect(retitled.description == "described")
            let cleared = try #require(try await items.update(id: item.id, .init(description: .null)))
            #expect(cleared.title == "retitled")
            #expect(cleared.description == nil)
            let unchanged = try #require(try await items.update(id: item.id, .init()))
            #expect(unchanged == cleared)
            #expect(try await items.update(id: UUID(), .init(title: "nobody")) == nil)
            // Scoped to an owner: another owner's row is not found, changed or deleted.
            let stranger = try await app.createUser(email: "stranger@example.com")
            #expect(try await items.find(id: item.id, ownerId: stranger.id) == nil)
            #expect(try await items.find(id: item.id, ownerId: owner.id) == cleared)
            #expect(try await items.update(id: item.id, ownerId: stranger.id, .init(title: "taken")) == nil)
            #expect(try await items.delete(id: item.id, ownerId: stranger.id) == false)
            #expect(try await items.find(id: item.id)?.title == "retitled")
            #expect(try await items.delete(id: item.id))
            #expect(try await items.delete(id: item.id) == false)
        }
    }

    /// Offset pages, keyset pages and the count agree, with and without the owner filter, for
    /// rows that share a `created_at` (the `id` breaks the tie).
    @Test func offsetAndKeysetPagesAgree() async throws {
        try await TestApp.run { app, _ in
            let items = app.dependencies.items
            let alice = try await app.createUser(email: "alice@example.com")
            let bob = try await app.createUser(email: "bob@example.com")
            let instant = Date(timeIntervalSince1970: 1_800_000_000.123456)
            for index in 0..<23 {
                let owner = index % 3 == 0 ? bob.id : alice.id
                // Groups of four rows share a timestamp to the microsecond.
                let created = instant.addingTimeInterval(Double(index / 4))
                _ = try await items.insert(.init(title: "item \(index)", ownerId: owner, createdAt: created))
            }
            for owner in [nil, alice.id, bob.id] {
                let all = try await items.list(ownerId: owner, skip: 0, limit: 1000)
                #expect(try await items.count(ownerId: owner) == all.count)
                #expect(all == all.sorted { ($0.createdAt, $1.id.uuidString) > ($1.createdAt, $0.id.uuidString) })
                var keyset: [ItemRow] = []
                var cursor: ItemRepository.Cursor?
                while true {
                    let page = try await items.list(ownerId: owner, after: cursor, limit: 5)
                    keyset += page
                    guard let last = page.last else { break }
                    cursor = ItemRepository.Cursor(after: last)
                }
                #expect(keyset.map(\.id) == all.map(\.id))
                let offset = try await items.page(ownerId: owner, skip: 5, limit: 5)
                #expect(offset.rows.map(\.id) == Array(all.dropFirst(5).prefix(5)).map(\.id))
                #expect(offset.count == all.count)
            }
            #expect(try await items.count(ownerId: bob.id) == 8)
        }
    }

    /// PostgreSQL text cannot hold U+0000: a lookup by such text finds nothing instead of failing,
    /// and the generated body mapping refuses it with a 422 naming the field.
    @Test func nulTextIsHandledBeforeTheDatabase() async throws {
        try await TestApp.run { app, _ in
            #expect(try await app.dependencies.users.find(email: "a\u{0}b@example.com") == nil)
            do {
                _ = try ItemRepository.NewRow(ItemCreate(title: "ok", description: "bad\u{0}"), ownerId: UUID())
                Issue.record("a NUL was accepted")
            } catch let error as ValidationErrors {
                #expect(error.errors.map(\.loc) == [["body", "description"]])
            }
        }
    }
}
