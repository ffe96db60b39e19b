import API
import Foundation
import Postgres

/// The `user` table. Every statement is parameterised; the table's shape is the generated
/// migration's and its rows decode into the generated `UserRow`.
public struct UserRepository: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The fields a new user starts with.
    public struct NewUser: Sendable {
        public var email: String
        public var hashedPassword: String
        public var fullName: String?
        public var isActive: Bool
        public var isSuperuser: Bool

        public init(email: String, hashedPassword: String, fullName: String? = nil, isActive: Bool = true, isSuperuser: Bool = false) {
            self.email = email
            self.hashedPassword = hashedPassword
            self.fullName = fullName
            self.isActive = isActive
            self.isSuperuser = isSuperuser
        }
    }

    /// Changes to a user; nil leaves a column as it is.
    public struct Changes: Sendable {
        public var email: String?
        public var fullName: String?
        public var isActive: Bool?
        public var isSuperuser: Bool?
        public var hashedPassword: String?
        /// `full_name: null` in the body: the one nullable column, so the one a change can clear.
        public var clearsFullName: Bool

        public init(
            email: String? = nil, fullName: String? = nil, isActive: Bool? = nil, isSuperuser: Bool? = nil, hashedPassword: String? = nil,
            clearsFullName: Bool = false
        ) {
            self.email = email
            self.fullName = fullName
            self.isActive = isActive
            self.isSuperuser = isSuperuser
            self.hashedPassword = hashedPassword
            self.clearsFullName = clearsFullName
        }
    }

    public func find(id: UUID) async throws -> UserRow? {
        try await pool.query(#"SELECT * FROM "user" WHERE id = \#(id)"#).decode(UserRow.self).first
    }

    /// The user with this e-mail address; nil for one no row can hold (a NUL), which PostgreSQL
    /// would refuse to compare.
    public func find(email: String) async throws -> UserRow? {
        guard StoredText.isStorable(email) else { return nil }
        return try await pool.query(#"SELECT * FROM "user" WHERE email = \#(email)"#).decode(UserRow.self).first
    }

    /// One page, newest first, and the number of users in all pages.
    public func list(skip: Int64, limit: Int64) async throws -> (rows: [UserRow], count: Int) {
        try await pool.withConnection { connection in
            let count = try await connection.query(#"SELECT count(*) FROM "user""#).first?.decode(Int.self) ?? 0
            let rows = try await connection.query(
                #"SELECT * FROM "user" ORDER BY created_at DESC, id OFFSET \#(skip) LIMIT \#(limit)"#
            ).decode(UserRow.self)
            return (rows, count)
        }
    }

    /// Inserts a user; a taken e-mail throws `PostgresError.uniqueViolation`.
    public func create(_ user: NewUser) async throws -> UserRow {
        let rows = try await pool.query(
            #"""
            INSERT INTO "user" (email, hashed_password, full_name, is_active, is_superuser)
            VALUES (\#(user.email), \#(user.hashedPassword), \#(user.fullName), \#(user.isActive), \#(user.isSuperuser))
            RETURNING *
            """#)
        guard let row = try rows.decode(UserRow.self).first else { throw PostgresError.columnNotFound("id") }
        return row
    }

    /// Applies `changes`; nil when there is no such user. A taken e-mail throws
    /// `PostgresError.uniqueViolation`.
    public func update(id: UUID, _ changes: Changes) async throws -> UserRow? {
        try await pool.query(
            #"""
            UPDATE "user" SET
                email = COALESCE(\#(changes.email), email),
                full_name = CASE WHEN \#(changes.clearsFullName) THEN NULL ELSE COALESCE(\#(changes.fullName), full_name) END,
                is_active = COALESCE(\#(changes.isActive), is_active),
                is_superuser = COALESCE(\#(changes.isSuperuser), is_superuser),
                hashed_password = COALESCE(\#(changes.hashedPassword), hashed_password)
            WHERE id = \#(id)
            RETURNING *
            """#
        ).decode(UserRow.self).first
    }

    /// Deletes the user and, through the foreign key, its items. False when there was none.
    @discardableResult
    public func delete(id: UUID) async throws -> Bool {
        try await pool.query(#"DELETE FROM "user" WHERE id = \#(id)"#).affectedRows > 0
    }
}
