import App
import Foundation

/// Benchmark fixtures, minted through the app's own code: sessions as a login starts them and
/// password reset tokens as a recovery e-mail carries them, without a bcrypt per fixture.
///
/// `scripts/bench-server.sh` feeds them (through the `bench-fixtures` executable, which `make bench` builds; the server has no such command) to
/// the routes whose requests use up what they are given: refresh, logout, logout everywhere,
/// password change, password reset, deleting oneself. Nothing here is reachable over HTTP.
public struct BenchmarkFixtures: Sendable {
    let app: AppDependencies

    public init(_ app: AppDependencies) {
        self.app = app
    }

    /// What a login answers: an access token in a new session and the session's first refresh
    /// token.
    public struct Session: Sendable, Hashable {
        public var accessToken: String
        public var refreshToken: String
    }

    /// A fixture refused because its user cannot log in.
    public struct UnknownUser: Error, CustomStringConvertible {
        public var user: String
        public var description: String { "no active user \(user)" }
    }

    /// A new session for each entry of `userIDs`, in order (an id given twice gets two
    /// sessions), started as `POST /api/v1/login/access-token` starts one. Every user must
    /// exist and be active (one query checks them all). At most `concurrency` sessions are being
    /// written to Redis at once.
    public func sessions(for userIDs: [UUID], concurrency: Int = 64) async throws -> [Session] {
        struct Found: Decodable { var id: UUID }
        let found = try await app.pool.query(#"SELECT id FROM "user" WHERE is_active AND id = ANY($1)"#, [Array(Set(userIDs))])
        if let missing = Set(userIDs).subtracting(try found.decode(Found.self).map(\.id)).first {
            throw UnknownUser(user: missing.uuidString.lowercased())
        }
        return try await inOrder(userIDs, concurrency: concurrency) { userID in
            let grant = try await app.sessions.start(userID: userID)
            return Session(
                accessToken: try app.accessToken(for: userID, sessionID: grant.sessionID), refreshToken: grant.refreshToken)
        }
    }

    /// A one-time password reset token for each e-mail, in order, as
    /// `POST /api/v1/password-recovery/{email}` sends one. Every user must exist and be active.
    public func resetTokens(for emails: [String]) async throws -> [String] {
        struct Found: Decodable { var email: String }
        let found = try await app.pool.query(#"SELECT email FROM "user" WHERE is_active AND email = ANY($1)"#, [Array(Set(emails))])
        if let missing = Set(emails).subtracting(try found.decode(Found.self).map(\.email)).first { throw UnknownUser(user: missing) }
        return try emails.map { try app.passwordResetToken(for: $0) }
    }

    /// `make` over `inputs` with at most `concurrency` calls running, the results in the inputs' order.
    private func inOrder<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], concurrency: Int, _ make: @escaping @Sendable (Input) async throws -> Output
    ) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: inputs.count)
            var next = 0
            func add() {
                let index = next
                let input = inputs[index]
                group.addTask { (index, try await make(input)) }
                next += 1
            }
            while next < min(inputs.count, max(1, concurrency)) { add() }
            while let (index, output) = try await group.next() {
                results[index] = output
                if next < inputs.count { add() }
            }
            return results.compactMap { $0 }
        }
    }
}
