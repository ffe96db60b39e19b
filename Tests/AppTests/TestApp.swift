import API
import App
import Database
import Foundation
import HummingbirdTesting
import Postgres
import Redis
import Security
import ServerRuntime
import Testing

/// Keeps the e-mails the app sends, so tests can read the password reset link. `delay` stands
/// for a slow SMTP server.
actor RecordingEmailSender: EmailSender {
    private(set) var sent: [EmailMessage] = []
    let delay: Duration

    init(delay: Duration = .zero) {
        self.delay = delay
    }

    func send(_ message: EmailMessage, logger: Logger) async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
        sent.append(message)
    }

    /// The e-mails sent once there are `count` of them, for e-mails sent after the answer
    /// (password recovery); whatever was sent when `timeout` runs out.
    func waitForSent(count: Int, timeout: Duration = .seconds(10)) async -> [EmailMessage] {
        let deadline = ContinuousClock.now + timeout
        while sent.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return sent
    }
}

/// The app over a fresh, migrated schema, with the first superuser created, served through
/// HummingbirdTesting's router client.
struct TestApp {
    static let secret = "test-secret-key-for-the-app-tests"
    static let superuserEmail = "admin@example.com"
    static let superuserPassword = "superuser-password"

    let dependencies: AppDependencies
    let emails: RecordingEmailSender
    let superuser: UserRow

    static func variables(_ overrides: [String: String] = [:]) -> [String: String] {
        [
            "ENVIRONMENT": "local",
            "SECRET_KEY": secret,
            // Only parsed: the app gets the test schema's pool, not a pool from this URL.
            "DATABASE_URL": "postgresql://app:app@127.0.0.1:54329/app",
            "FIRST_SUPERUSER": superuserEmail,
            "FIRST_SUPERUSER_PASSWORD": superuserPassword,
            "BACKEND_CORS_ORIGINS": "http://localhost:5173",
            // Generous limits: the rate-limit tests set their own.
            "RATE_LIMIT_LOGIN": "1000",
            "RATE_LIMIT_REQUESTS": "100000",
        ].merging(overrides) { $1 }
    }

    /// How a test app hashes passwords.
    enum Hashing {
        /// `PASSWORD_HASH_SCHEME` at the lowest cost, which keeps the many hashes of a test run cheap.
        case cheap
        /// What the server does: `PASSWORD_HASH_SCHEME` at its production parameters.
        case production
    }

    /// `PASSWORD_HASH_SCHEME` at the lowest cost: argon2id with 256 KiB and one pass, bcrypt 4.
    static func cheapHasher(_ settings: Settings) throws -> PasswordHasher {
        try PasswordHasher(
            scheme: settings.passwordHashScheme, argon2: Argon2Parameters(timeCost: 1, memoryKiB: 256, parallelism: 1), bcryptCost: 4)
    }

    /// Runs `body` against a new app and database; `settings` overrides variables.
    static func run(
        settings overrides: [String: String] = [:],
        docs: DocsConfiguration? = nil,
        operations: OperationTable? = nil,
        logger appLogger: Logger? = nil,
        hashing: Hashing = .cheap,
        emails: RecordingEmailSender = RecordingEmailSender(),
        adjust: @Sendable (inout AppDependencies) -> Void = { _ in },
        mode: TestingSetup = .router,
        _ body: @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestDatabase.withMigratedSchema { pool in
            try await withRedis(settings: overrides) { settings, redis in
                let hasher: PasswordHasher? =
                    switch hashing {
                    case .cheap: try cheapHasher(settings)
                    case .production: nil  // AppDependencies' own choice, as in the server
                    }
                var dependencies = try AppDependencies(settings: settings, pool: pool, redis: redis, hasher: hasher, emails: emails)
                adjust(&dependencies)
                var logger = appLogger ?? Logger(label: "app-tests")
                if appLogger == nil { logger.logLevel = .critical }
                let superuser: UserRow
                switch try await FirstSuperuser.ensure(dependencies, logger: logger) {
                case .created(let user), .alreadyExists(let user): superuser = user
                }
                let testApp = TestApp(dependencies: dependencies, emails: emails, superuser: superuser)
                let configuration = ExampleApp.apiConfiguration(settings: settings, docs: docs, operations: operations)
                let application = ExampleApp.makeApplication(dependencies: dependencies, configuration: configuration, logger: logger)
                try await application.test(mode) { client in
                    try await body(testApp, client)
                }
            }
        }
    }

    /// The settings with `overrides` and a Redis key prefix of their own, so tests running in
    /// parallel on one Redis never see each other's sessions, limits or cache; the keys are
    /// deleted afterwards.
    static func withRedis<T>(
        settings overrides: [String: String], _ body: (Settings, RedisClient) async throws -> T
    ) async throws -> T {
        // A generous command timeout: a full parallel test run can hold a reply for seconds.
        let redisURL = try await TestDatabase.redisURL() + "?command_timeout=60"
        let prefix = "test:\(UUID().uuidString.prefix(8).lowercased()):"
        let settings = try Settings(variables: variables(["REDIS_URL": redisURL, "REDIS_KEY_PREFIX": prefix].merging(overrides) { $1 }))
        let redis = RedisClient(configuration: settings.redis, connections: 2)
        func cleanUp() async {
            if let keys = try? await redis.send(["KEYS", prefix + "*"]).strings?.compactMap({ $0 }), !keys.isEmpty {
                _ = try? await redis.send(["DEL"] + keys)
            }
            await redis.close()
        }
        do {
            let value = try await body(settings, redis)
            await cleanUp()
            return value
        } catch {
            await cleanUp()
            throw error
        }
    }

    /// Inserts a user straight into the database.
    @discardableResult
    func createUser(
        email: String, password: String = "user-password", fullName: String? = nil,
        isActive: Bool = true, isSuperuser: Bool = false
    ) async throws -> UserRow {
        let hashed = try await dependencies.passwords.hash(password)
        return try await dependencies.users.insert(
            .init(email: email, isActive: isActive, isSuperuser: isSuperuser, fullName: fullName, hashedPassword: hashed))
    }

    /// Logs in through the API and returns the `Authorization` header.
    func login(_ client: some TestClientProtocol, email: String, password: String) async throws -> HTTPFields {
        let response = try await client.execute(
            uri: "/api/v1/login/access-token", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "username=\(formEncode(email))&password=\(formEncode(password))"))
        #expect(response.status == .ok, "login as \(email): \(response.text)")
        guard let token = try response.json["access_token"]?.stringValue else {
            throw TestFailure("no access_token in \(response.text)")
        }
        return [.authorization: "Bearer \(token)"]
    }

    /// Logs in and returns the whole token answer: access and refresh token.
    func loginTokens(
        _ client: some TestClientProtocol, email: String = superuserEmail, password: String = superuserPassword
    ) async throws -> (access: String, refresh: String?) {
        let response = try await client.execute(
            uri: "/api/v1/login/access-token", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "username=\(formEncode(email))&password=\(formEncode(password))"))
        guard response.status == .ok, let access = try response.json["access_token"]?.stringValue else {
            throw TestFailure("login as \(email): \(response.status) \(response.text)")
        }
        return (access, try response.json["refresh_token"]?.stringValue)
    }

    func loginSuperuser(_ client: some TestClientProtocol) async throws -> HTTPFields {
        try await login(client, email: Self.superuserEmail, password: Self.superuserPassword)
    }

    /// A new ordinary user and its `Authorization` header.
    func userWithToken(_ client: some TestClientProtocol, email: String) async throws -> (UserRow, HTTPFields) {
        let user = try await createUser(email: email, password: "user-password")
        return (user, try await login(client, email: email, password: "user-password"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func formEncode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

extension TestResponse {
    var json: JSONValue {
        get throws { try JSONParser.parse(Array(self.body.readableBytesView)) }
    }

    var text: String { String(buffer: self.body) }

    /// `detail` of an `{"detail": "..."}` body.
    var detail: String? { (try? json)?["detail"]?.stringValue }

    /// The `loc` of each entry of a 422 body.
    var locations: [[LocationSegment]] {
        guard let body = try? JSONDecoder().decode(ValidationErrors.self, from: Data(self.body.readableBytesView)) else { return [] }
        return body.errors.map(\.loc)
    }
}

extension TestClientProtocol {
    /// A JSON request.
    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], json: String? = nil) async throws -> TestResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension JSONValue {
    var intValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
