import Foundation
import Postgres
import Redis
import Security
import ServerRuntime

/// The app's configuration, read from the environment and a `.env` file under the FastAPI
/// template's names (`SECRET_KEY`, `POSTGRES_SERVER`, `FIRST_SUPERUSER`...).
///
/// As in the template (pydantic-settings): process environment variables win over the `.env`
/// file, empty values count as unset, and the default secrets (`changethis`) are refused outside
/// `ENVIRONMENT=local`. Every problem names its setting; all of them are reported at once.
public struct Settings: Sendable {
    public enum Environment: String, Sendable, CaseIterable {
        case local, staging, production
    }

    public var environment: Environment
    public var projectName: String
    /// The HMAC key of the JWTs.
    public var secretKey: String
    /// Access token lifetime; the template's default is 8 days.
    public var accessTokenExpireMinutes: Int
    /// Password reset token lifetime (`EMAIL_RESET_TOKEN_EXPIRE_HOURS`, 48 by default).
    public var emailResetTokenExpireHours: Int
    public var database: PostgresConfiguration
    /// Connections in the pool (`POSTGRES_POOL_SIZE`, 10 by default).
    public var databasePoolSize: Int
    /// Connections kept open even when idle (`POSTGRES_POOL_MIN`, 0 by default; at most the size).
    public var databasePoolMinimum: Int
    /// Idle connections above the minimum close after this (`POSTGRES_POOL_IDLE_SECONDS`, 60 by
    /// default; 0 keeps them), as SQLAlchemy's `pool_recycle` bounds a connection's age.
    public var databasePoolIdleTimeout: Duration?
    /// Idle connections are pinged this often, so a session the server ended is reopened before
    /// a request needs it (`POSTGRES_POOL_PING_SECONDS`, 30 by default; 0 turns pings off), as
    /// SQLAlchemy's `pool_pre_ping` does at checkout.
    public var databasePoolPingInterval: Duration?
    public var firstSuperuser: String
    public var firstSuperuserPassword: String
    /// `BACKEND_CORS_ORIGINS`, without trailing slashes.
    public var backendCORSOrigins: [String]
    /// Where the frontend runs; links in e-mails point there, and it is always a CORS origin.
    public var frontendHost: String
    /// `REDIS_URL` (`redis://127.0.0.1:6379/0` by default): sessions, revocations, rate limits,
    /// the response cache and notifications.
    public var redis: RedisConfiguration
    /// Multiplexed Redis connections (`REDIS_CONNECTIONS`, 2 by default): each carries any number
    /// of concurrent commands, so a few are enough.
    public var redisConnections: Int
    /// Prefix of every Redis key (`REDIS_KEY_PREFIX`, `app:`), so apps can share one Redis.
    public var redisKeyPrefix: String
    /// Refresh token lifetime (`REFRESH_TOKEN_EXPIRE_DAYS`, 30 by default).
    public var refreshTokenExpireDays: Int
    /// How long a cached item or user stays in Redis (`CACHE_TTL_SECONDS`, 60; 0 turns the cache off).
    public var cacheTTLSeconds: Int
    public var rateLimits: RateLimitSettings
    /// Whether `/metrics` and the request metrics are on (`METRICS_ENABLED`, false).
    public var metricsEnabled: Bool
    /// When set, a scrape of `/metrics` must send `Authorization: Bearer <METRICS_TOKEN>`.
    public var metricsToken: String?
    /// The scheme of new password hashes (`PASSWORD_HASH_SCHEME`: `argon2id`, the default, as the
    /// template's pwdlib writes, or `bcrypt`). Every scheme verifies; a hash of the other one is
    /// replaced at its user's next login.
    public var passwordHashScheme: PasswordHasher.Scheme
    /// How much memory the password hashes running at once may take together
    /// (`PASSWORD_HASH_MEMORY_MIB`, 64: one argon2id hash at pwdlib's `m=65536`). Each argon2
    /// hash allocates its `m` whole, so this bounds what a login storm adds to the resident set;
    /// bcrypt needs next to nothing and is not held back.
    public var passwordHashMemoryMiB: Int
    /// How often the server gives the heap's free pages back to the system
    /// (`MEMORY_TRIM_SECONDS`, 10; 0 never): see `HeapTrimmer`.
    public var memoryTrimSeconds: Int
    /// How many requests run their handlers at once (`REQUEST_CONCURRENCY`, 64; 0 sets no
    /// bound); more wait in arrival order: see `RequestGate`. 64 rather than 128: on the list
    /// route (release, 2 cores, alternated) the 1,024-connection peak was 59 to 60 MiB against
    /// 64 to 65, and the route answered more at 256 and 1,024 connections (5,006 to 5,862
    /// against 3,582 to 3,971 requests/s at 256); health and the item read were equal within
    /// the noise there. Ten pooled PostgreSQL connections keep two cores busy long before 64
    /// handlers run at once; more admitted requests only hold more rows and bodies in memory.
    public var requestConcurrency: Int
    /// How many open connections run their requests in their own task rather than in a child
    /// task each (`REQUEST_INLINE_CONNECTIONS`, 64; 0: none): faster for few connections, and
    /// what idle connections hold stays bounded by this many handler depths. See
    /// `InlineConnections`.
    public var requestInlineConnections: Int
    /// How many revoked sessions and tokens each instance holds, so that checking an access
    /// token needs no Redis round trip (`REVOCATION_LIST_CAPACITY`, 50,000: about 10 MB when
    /// full, 196 bytes per 32-character id as measured; 0: every request asks Redis, and a
    /// revocation holds on every instance the moment it is written). See `RevocationList`.
    public var revocationListCapacity: Int
    public var smtpHost: String?
    /// `SMTP_PORT` (587), `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_TLS` (STARTTLS, true) and `SMTP_SSL`
    /// (TLS from the first byte, false), the template's names and defaults.
    public var smtp: SMTPSettings
    public var emailsFromEmail: String?
    public var emailsFromName: String?
    /// Warnings to log at start-up (a default secret in the local environment).
    public var warnings: [String]

    /// The CORS origins the template allows: `BACKEND_CORS_ORIGINS` plus `FRONTEND_HOST`.
    public var allCORSOrigins: [String] {
        var origins = backendCORSOrigins
        let frontend = Self.trimmingSlash(frontendHost)
        if !origins.contains(frontend) { origins.append(frontend) }
        return origins
    }

    /// Whether an SMTP server is configured (the template's `emails_enabled`).
    public var emailsEnabled: Bool { smtpHost != nil && emailsFromEmail != nil }

    public static let defaultAccessTokenExpireMinutes = 60 * 24 * 8
    public static let defaultSecret = "changethis"

    /// Reads the settings from `environment` merged over the `.env` file at `dotEnvFile` (when
    /// it exists; a missing file is an error only when `dotEnvRequired`).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvFile: URL? = URL(fileURLWithPath: ".env"),
        dotEnvRequired: Bool = false
    ) throws -> Settings {
        try Settings(variables: try merged(environment: environment, dotEnvFile: dotEnvFile, dotEnvRequired: dotEnvRequired))
    }

    /// The variables the settings read: the `.env` file's, overridden by the environment's.
    public static func merged(
        environment: [String: String],
        dotEnvFile: URL?,
        dotEnvRequired: Bool
    ) throws -> [String: String] {
        var variables: [String: String] = [:]
        if let dotEnvFile {
            if FileManager.default.fileExists(atPath: dotEnvFile.path) {
                do {
                    variables = try DotEnv.load(dotEnvFile)
                } catch {
                    throw SettingsError([.init(setting: dotEnvFile.path, message: "cannot read the .env file: \(error)")])
                }
            } else if dotEnvRequired {
                throw SettingsError([.init(setting: dotEnvFile.path, message: "the .env file does not exist")])
            }
        }
        variables.merge(environment) { _, fromEnvironment in fromEnvironment }
        return variables
    }

    /// The settings from already merged variables (environment over `.env`).
    public init(variables: [String: String]) throws {
        var reader = SettingsReader(variables)

        let environment = reader.choice("ENVIRONMENT", default: Environment.local) ?? .local
        self.environment = environment
        self.projectName = reader.string("PROJECT_NAME") ?? "Full Stack Example API"

        var warnings: [String] = []
        let local = environment == .local
        func checkDefaultSecret(_ name: String, _ value: String?) {
            guard value == Self.defaultSecret else { return }
            if local {
                warnings.append("The value of \(name) is \"changethis\", for security, please change it, at least for deployments.")
            } else {
                reader.fail(
                    name,
                    "is \"changethis\", the template's default, which is refused when ENVIRONMENT is \(environment.rawValue); set a secret value"
                )
            }
        }

        // SECRET_KEY: required outside local; locally a random one (tokens die with the process).
        if let secret = reader.string("SECRET_KEY") {
            checkDefaultSecret("SECRET_KEY", secret)
            self.secretKey = secret
        } else if local {
            self.secretKey = Self.randomSecret()
            warnings.append("SECRET_KEY is not set: using a random key, so tokens stop working when the server restarts.")
        } else {
            reader.fail("SECRET_KEY", "is required when ENVIRONMENT is \(environment.rawValue)")
            self.secretKey = ""
        }

        self.accessTokenExpireMinutes =
            reader.integer("ACCESS_TOKEN_EXPIRE_MINUTES", in: 1...(60 * 24 * 365 * 10))
            ?? Self.defaultAccessTokenExpireMinutes
        self.emailResetTokenExpireHours = reader.integer("EMAIL_RESET_TOKEN_EXPIRE_HOURS", in: 1...(24 * 365)) ?? 48
        self.databasePoolSize = reader.integer("POSTGRES_POOL_SIZE", in: 1...1000) ?? 10
        self.databasePoolMinimum = reader.integer("POSTGRES_POOL_MIN", in: 0...1000) ?? 0
        if databasePoolMinimum > databasePoolSize {
            reader.fail("POSTGRES_POOL_MIN", "must not exceed POSTGRES_POOL_SIZE (\(databasePoolSize)), got \(databasePoolMinimum)")
            self.databasePoolMinimum = 0
        }
        let idleSeconds = reader.integer("POSTGRES_POOL_IDLE_SECONDS", in: 0...86_400) ?? 60
        self.databasePoolIdleTimeout = idleSeconds == 0 ? nil : .seconds(idleSeconds)
        let pingSeconds = reader.integer("POSTGRES_POOL_PING_SECONDS", in: 0...86_400) ?? 30
        self.databasePoolPingInterval = pingSeconds == 0 ? nil : .seconds(pingSeconds)

        let database = DatabaseSettings.read(&reader)
        self.database = database ?? PostgresConfiguration(user: "", database: "")
        checkDefaultSecret("POSTGRES_PASSWORD", self.database.password)

        let superuser = reader.string("FIRST_SUPERUSER", required: true)
        if let superuser, let problem = EmailAddress.problem(superuser) {
            reader.fail("FIRST_SUPERUSER", "is not a valid e-mail address: \(problem)")
        }
        self.firstSuperuser = superuser ?? ""
        let superuserPassword = reader.string("FIRST_SUPERUSER_PASSWORD", required: true)
        if let superuserPassword {
            checkDefaultSecret("FIRST_SUPERUSER_PASSWORD", superuserPassword)
        }
        self.firstSuperuserPassword = superuserPassword ?? ""

        self.frontendHost = reader.url("FRONTEND_HOST") ?? "http://localhost:5173"
        self.backendCORSOrigins = reader.origins("BACKEND_CORS_ORIGINS")

        let redisURL = reader.string("REDIS_URL") ?? "redis://127.0.0.1:6379/0"
        do {
            self.redis = try RedisConfiguration(url: redisURL)
        } catch {
            reader.fail("REDIS_URL", "is not a usable Redis URL: \(error)")
            self.redis = RedisConfiguration()
        }
        self.redisConnections = reader.integer("REDIS_CONNECTIONS", in: 1...64) ?? 2
        self.redisKeyPrefix = reader.string("REDIS_KEY_PREFIX") ?? "app:"
        self.refreshTokenExpireDays = reader.integer("REFRESH_TOKEN_EXPIRE_DAYS", in: 1...3650) ?? 30
        self.cacheTTLSeconds = reader.integer("CACHE_TTL_SECONDS", in: 0...86_400) ?? 60
        self.metricsEnabled = reader.bool("METRICS_ENABLED") ?? false
        self.metricsToken = reader.string("METRICS_TOKEN")
        self.passwordHashScheme = reader.choice("PASSWORD_HASH_SCHEME", default: PasswordHasher.Scheme.argon2id) ?? .argon2id
        self.passwordHashMemoryMiB = reader.integer("PASSWORD_HASH_MEMORY_MIB", in: 1...65_536) ?? 64
        self.memoryTrimSeconds = reader.integer("MEMORY_TRIM_SECONDS", in: 0...86_400) ?? 10
        self.requestConcurrency = reader.integer("REQUEST_CONCURRENCY", in: 0...1_000_000) ?? 64
        self.requestInlineConnections =
            reader.integer("REQUEST_INLINE_CONNECTIONS", in: 0...1_000_000) ?? RequestGate.defaultInlineConnections
        self.revocationListCapacity = reader.integer("REVOCATION_LIST_CAPACITY", in: 0...10_000_000) ?? 50_000
        self.rateLimits = RateLimitSettings(
            enabled: reader.bool("RATE_LIMIT_ENABLED") ?? true,
            loginPerWindow: reader.integer("RATE_LIMIT_LOGIN", in: 1...1_000_000) ?? 5,
            perWindow: reader.integer("RATE_LIMIT_REQUESTS", in: 1...100_000_000) ?? 600,
            window: .seconds(reader.integer("RATE_LIMIT_WINDOW_SECONDS", in: 1...86_400) ?? 60),
            failOpen: reader.bool("RATE_LIMIT_FAIL_OPEN") ?? true
        )

        self.smtpHost = reader.string("SMTP_HOST")
        self.smtp = SMTPSettings(
            host: smtpHost ?? "",
            port: reader.integer("SMTP_PORT", in: 1...65535) ?? 587,
            user: reader.string("SMTP_USER"),
            password: reader.string("SMTP_PASSWORD"),
            startTLS: reader.bool("SMTP_TLS") ?? true,
            implicitTLS: reader.bool("SMTP_SSL") ?? false,
            caFile: reader.string("SMTP_CA_FILE"))
        if smtp.startTLS && smtp.implicitTLS && smtpHost != nil {
            reader.fail("SMTP_SSL", "and SMTP_TLS cannot both be true: SMTP_SSL is TLS from the start, SMTP_TLS upgrades with STARTTLS")
        }
        self.emailsFromEmail = reader.string("EMAILS_FROM_EMAIL")
        if let from = self.emailsFromEmail, let problem = EmailAddress.problem(from) {
            reader.fail("EMAILS_FROM_EMAIL", "is not a valid e-mail address: \(problem)")
        }
        self.emailsFromName = reader.string("EMAILS_FROM_NAME") ?? self.projectName

        self.warnings = warnings
        if !reader.issues.isEmpty { throw SettingsError(reader.issues) }
    }

    static func trimmingSlash(_ origin: String) -> String {
        var origin = origin
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin
    }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<43).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}

/// The database part of the settings alone, for commands that need nothing else (`migrate`).
public enum DatabaseSettings {
    /// `DATABASE_URL` when set, otherwise `POSTGRES_SERVER`, `POSTGRES_PORT`, `POSTGRES_USER`,
    /// `POSTGRES_PASSWORD` and `POSTGRES_DB` (the template's names).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvFile: URL? = URL(fileURLWithPath: ".env"),
        dotEnvRequired: Bool = false
    ) throws -> PostgresConfiguration {
        var reader = SettingsReader(try Settings.merged(environment: environment, dotEnvFile: dotEnvFile, dotEnvRequired: dotEnvRequired))
        let configuration = read(&reader)
        guard reader.issues.isEmpty, let configuration else { throw SettingsError(reader.issues) }
        return configuration
    }

    static func read(_ reader: inout SettingsReader) -> PostgresConfiguration? {
        if let url = reader.string("DATABASE_URL") {
            do {
                return try PostgresConfiguration(url: url)
            } catch {
                reader.fail("DATABASE_URL", "is not a usable PostgreSQL URL: \(error)")
                return nil
            }
        }
        let server = reader.string("POSTGRES_SERVER", required: true, hint: "(or set DATABASE_URL)")
        let port = reader.integer("POSTGRES_PORT", in: 1...65535) ?? 5432
        let user = reader.string("POSTGRES_USER", required: true, hint: "(or set DATABASE_URL)")
        let password = reader.string("POSTGRES_PASSWORD")
        guard let server, let user else { return nil }
        // libpq's default database is the user's name; the template's POSTGRES_DB defaults to "".
        let database = reader.string("POSTGRES_DB") ?? user
        return PostgresConfiguration(host: server, port: port, user: user, password: password, database: database)
    }
}

/// Every invalid or missing setting, each with its name.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        /// The variable's name (`SECRET_KEY`), or the `.env` file's path.
        public var setting: String
        public var message: String

        public var description: String { "\(setting) \(message)" }
    }

    public var issues: [Issue]

    public init(_ issues: [Issue]) {
        self.issues = issues
    }

    /// Whether `setting` is among the problems.
    public func mentions(_ setting: String) -> Bool {
        issues.contains { $0.setting == setting }
    }

    public var description: String {
        if issues.count == 1 { return "invalid settings: \(issues[0])" }
        return "invalid settings:\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Typed reads of variables that collect problems instead of stopping at the first.
struct SettingsReader {
    let variables: [String: String]
    var issues: [SettingsError.Issue] = []

    init(_ variables: [String: String]) {
        self.variables = variables
    }

    mutating func fail(_ setting: String, _ message: String) {
        issues.append(.init(setting: setting, message: message))
    }

    /// The value, nil when unset or empty (pydantic-settings' `env_ignore_empty`).
    mutating func string(_ name: String, required: Bool = false, hint: String = "") -> String? {
        if let value = variables[name], !value.isEmpty { return value }
        if required { fail(name, "is required but not set" + (hint.isEmpty ? "" : " " + hint)) }
        return nil
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            fail(name, "must be a whole number, got '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            fail(name, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            return nil
        }
        return value
    }

    /// `true`/`false`, also `1`/`0`, `yes`/`no`, `on`/`off` (pydantic's spellings).
    mutating func bool(_ name: String) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on", "y", "t": return true
        case "false", "0", "no", "off", "n", "f": return false
        default:
            fail(name, "must be true or false, got '\(text)'")
            return nil
        }
    }

    mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default: Value) -> Value?
    where Value.RawValue == String {
        guard let text = string(name) else { return `default` }
        guard let value = Value(rawValue: text.lowercased()) else {
            let expected = Value.allCases.map(\.rawValue).joined(separator: ", ")
            fail(name, "must be one of \(expected), got '\(text)'")
            return nil
        }
        return value
    }

    mutating func url(_ name: String) -> String? {
        guard let text = string(name) else { return nil }
        guard Self.isHTTPURL(text) else {
            fail(name, "must be an http(s) URL, got '\(text)'")
            return nil
        }
        return text
    }

    /// A comma-separated list (`http://a,http://b`) or a JSON array (`["http://a"]`), as the
    /// template's `parse_cors` accepts.
    mutating func origins(_ name: String) -> [String] {
        guard let text = string(name)?.trimmingCharacters(in: .whitespaces) else { return [] }
        var list: [String]
        if text.hasPrefix("[") {
            guard let decoded = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                fail(name, "must be a JSON array of strings or a comma-separated list, got '\(text)'")
                return []
            }
            list = decoded
        } else {
            list = text.split(separator: ",").map { String($0) }
        }
        list = list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var origins: [String] = []
        for origin in list {
            guard origin == "*" || Self.isHTTPURL(origin) else {
                fail(name, "has '\(origin)', which is not an http(s) URL")
                continue
            }
            let trimmed = Settings.trimmingSlash(origin)
            if !origins.contains(trimmed) { origins.append(trimmed) }
        }
        return origins
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
