import API
import App
import Database
import Foundation
import HummingbirdTesting
import PasswordHashFixtures
import Security
import ServerRuntime
import Testing

/// A database taken over from the FastAPI template (argon2id written by pwdlib) or from an older
/// passlib deployment (bcrypt): its users log in, and their hashes move to
/// `PASSWORD_HASH_SCHEME` at their next successful login. The server's own parameters are used
/// (`hashing: .production`), since they decide what counts as current.
@Suite("Password hashes from Python")
struct PasswordHashMigrationTests {
    /// A user whose stored hash Python wrote.
    @discardableResult
    func insert(_ app: TestApp, _ fixture: PythonPasswordHash, email: String) async throws -> UserRow {
        try await app.dependencies.users.insert(.init(email: email, hashedPassword: fixture.hash))
    }

    func storedHash(_ app: TestApp, _ user: UserRow) async throws -> String? {
        try await app.dependencies.users.find(id: user.id)?.hashedPassword
    }

    func loginStatus(_ client: some TestClientProtocol, email: String, password: String) async throws -> HTTPResponse.Status {
        try await client.execute(
            uri: "/api/v1/login/access-token", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "username=\(formEncode(email))&password=\(formEncode(password))")
        ).status
    }

    @Test func templateAndPasslibUsersLogInAndBcryptBecomesArgon2id() async throws {
        try await TestApp.run(settings: ["PASSWORD_HASH_SCHEME": "argon2id"], hashing: .production) { app, client in
            let template = PythonPasswordHashes.templateArgon2id
            let passlib = PythonPasswordHashes.passlibBcrypt
            let templateUser = try await insert(app, template, email: "template@example.com")
            let passlibUser = try await insert(app, passlib, email: "passlib@example.com")

            _ = try await app.login(client, email: "template@example.com", password: template.password)
            // pwdlib's parameters are the server's: the template's hash stays.
            #expect(try await storedHash(app, templateUser) == template.hash)

            // A wrong password changes nothing.
            #expect(try await loginStatus(client, email: "passlib@example.com", password: "wrong-password") == .badRequest)
            #expect(try await storedHash(app, passlibUser) == passlib.hash)

            _ = try await app.login(client, email: "passlib@example.com", password: passlib.password)
            let rehashed = try #require(try await storedHash(app, passlibUser))
            #expect(rehashed.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"), "\(rehashed)")
            #expect(!app.dependencies.passwords.needsRehash(rehashed))
            // The same password opens the new hash; the old one is gone for good.
            _ = try await app.login(client, email: "passlib@example.com", password: passlib.password)
            #expect(try await storedHash(app, passlibUser) == rehashed)
            #expect(try await loginStatus(client, email: "passlib@example.com", password: "wrong-password") == .badRequest)
        }
    }

    @Test func withBcryptConfiguredArgon2idBecomesBcrypt() async throws {
        try await TestApp.run(settings: ["PASSWORD_HASH_SCHEME": "bcrypt"], hashing: .production) { app, client in
            let template = PythonPasswordHashes.templateArgon2id
            let pwdlibBcrypt = PythonPasswordHashes.pwdlibBcrypt
            let templateUser = try await insert(app, template, email: "template@example.com")
            let bcryptUser = try await insert(app, pwdlibBcrypt, email: "bcrypt@example.com")

            _ = try await app.login(client, email: "template@example.com", password: template.password)
            let rehashed = try #require(try await storedHash(app, templateUser))
            #expect(rehashed.hasPrefix("$2b$12$"), "\(rehashed)")
            _ = try await app.login(client, email: "template@example.com", password: template.password)

            // bcrypt at cost 12, as pwdlib writes it, is current.
            _ = try await app.login(client, email: "bcrypt@example.com", password: pwdlibBcrypt.password)
            #expect(try await storedHash(app, bcryptUser) == pwdlibBcrypt.hash)
        }
    }

    /// Weaker argon2 parameters (argon2-cffi with 8 KiB) are replaced by the server's.
    @Test func weakerArgon2ParametersAreReplaced() async throws {
        try await TestApp.run(hashing: .production) { app, client in
            let tiny = PythonPasswordHashes.argon2CFFITiny
            let user = try await insert(app, tiny, email: "tiny@example.com")
            _ = try await app.login(client, email: "tiny@example.com", password: tiny.password)
            let rehashed = try #require(try await storedHash(app, user))
            #expect(rehashed.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"), "\(rehashed)")
        }
    }

    /// The dummy verification for unknown addresses costs what a real one does, at the
    /// production parameters (argon2id, 64 MiB): a known address with a wrong password and an
    /// unknown one answer in about the same time. Without it, the unknown one would answer in a
    /// few milliseconds against the known one's ~100.
    @Test func loginTakesAsLongForUnknownAddresses() async throws {
        try await TestApp.run(hashing: .production) { app, client in
            try await app.createUser(email: "known@example.com", password: "user-password")
            let clock = ContinuousClock()
            var known: [Duration] = []
            var unknown: [Duration] = []
            func time(_ email: String) async throws -> Duration {
                let start = clock.now
                #expect(try await loginStatus(client, email: email, password: "wrong-password") == .badRequest)
                return clock.now - start
            }
            // Alternating which goes first, so load from the tests running beside this one
            // falls on both alike.
            for round in 0..<7 {
                if round.isMultiple(of: 2) {
                    known.append(try await time("known@example.com"))
                    unknown.append(try await time("nobody@example.com"))
                } else {
                    unknown.append(try await time("nobody@example.com"))
                    known.append(try await time("known@example.com"))
                }
            }
            let knownMedian = known.sorted()[known.count / 2]
            let unknownMedian = unknown.sorted()[unknown.count / 2]
            // Within a factor of 4 on a loaded two-core machine (the whole suite runs in
            // parallel); without the dummy verification the factor is over 30.
            #expect(unknownMedian > knownMedian / 4 && unknownMedian < knownMedian * 4, "known \(knownMedian), unknown \(unknownMedian)")
        }
    }
}
