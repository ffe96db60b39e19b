import Database
import Foundation
import Logging
import Postgres
import Redis
import Security
import ServerRuntime

/// What the services share: the settings, PostgreSQL and Redis, the token codec, the password
/// hasher and the e-mail sender, and what is built on Redis (sessions, rate limits, the cache,
/// notifications). Built once at start-up; tests build it with a cheap hasher and an e-mail
/// recorder. Without a `hasher`, new hashes use `PASSWORD_HASH_SCHEME` at its default
/// parameters (pwdlib's for argon2id, cost 12 for bcrypt).
public struct AppDependencies: Sendable {
    public var settings: Settings
    public var pool: PostgresPool
    public var redis: RedisClient
    public var keys: RedisKeys
    public var tokens: TokenCodec
    public var passwords: Passwords
    public var emails: any EmailSender
    public var users: UserRepository
    public var items: ItemRepository
    public var sessions: SessionStore
    public var limiter: RateLimiter
    public var cache: ResponseCache
    public var notifications: NotificationHub
    /// The app's metric families (cache, rate limits, pools), live when `METRICS_ENABLED`.
    public var metrics: AppMetrics

    public init(
        settings: Settings,
        pool: PostgresPool,
        redis: RedisClient,
        tokens: TokenCodec? = nil,
        hasher: PasswordHasher? = nil,
        emails: any EmailSender = LogEmailSender(),
        logger: Logger = Logger(label: "app")
    ) throws {
        self.settings = settings
        self.pool = pool
        self.redis = redis
        self.keys = RedisKeys(prefix: settings.redisKeyPrefix)
        self.tokens = try tokens ?? TokenCodec(secret: settings.secretKey)
        self.passwords = Passwords(
            hasher: try hasher
                ?? PasswordHasher(
                    scheme: settings.passwordHashScheme,
                    pool: WorkerPool(
                        threadCount: ProcessInfo.processInfo.activeProcessorCount,
                        memoryBudgetKiB: settings.passwordHashMemoryMiB * 1024)))
        self.emails = emails
        self.users = UserRepository(pool)
        self.items = ItemRepository(pool)
        self.sessions = SessionStore(
            pool: redis, keys: keys, refreshLifetime: .seconds(settings.refreshTokenExpireDays * 86_400),
            accessLifetime: .seconds(settings.accessTokenExpireMinutes * 60))
        self.metrics = AppMetrics(enabled: settings.metricsEnabled)
        self.limiter = RateLimiter(pool: redis, keys: keys, window: settings.rateLimits.window)
        self.cache = ResponseCache(pool: redis, ttl: .seconds(settings.cacheTTLSeconds), logger: logger, metrics: metrics)
        self.notifications = NotificationHub(pool: redis, configuration: settings.redis, keys: keys, logger: logger)
    }

    /// SMTP delivery when `SMTP_HOST` and `EMAILS_FROM_EMAIL` are set (the template's
    /// `emails_enabled`), otherwise e-mails are logged.
    public static func emailSender(for settings: Settings) -> any EmailSender {
        guard settings.emailsEnabled, let from = settings.emailsFromEmail else { return LogEmailSender() }
        return SMTPEmailSender(settings: settings.smtp, fromAddress: from, fromName: settings.emailsFromName)
    }

    /// Sends `message` without making the caller wait, for answers whose timing must not depend
    /// on whether an e-mail went out (password recovery); a failure is logged, since the request
    /// it came from has already been answered.
    public func sendInBackground(_ message: EmailMessage, logger: Logger) {
        let emails = self.emails
        Task {
            do {
                try await emails.send(message, logger: logger)
            } catch {
                logger.error("e-mail not sent", metadata: ["subject": "\(message.subject)", "error": "\(error)"])
            }
        }
    }

    /// A new access token for `user`, valid for `ACCESS_TOKEN_EXPIRE_MINUTES`, in session
    /// `sessionID` (its `sid` claim) when there is one.
    public func accessToken(for userID: UUID, sessionID: String? = nil) throws -> String {
        try tokens.issue(
            subject: userID.uuidString.lowercased(), type: .access,
            lifetime: .seconds(settings.accessTokenExpireMinutes * 60),
            extra: sessionID.map { ["sid": $0] } ?? [:])
    }

    /// A password reset token for `email`, valid for `EMAIL_RESET_TOKEN_EXPIRE_HOURS`.
    public func passwordResetToken(for email: String) throws -> String {
        try tokens.issue(subject: email, type: .passwordReset, lifetime: .seconds(settings.emailResetTokenExpireHours * 3600))
    }
}

/// The app's password hasher. Any password the spec lets in can be hashed (`PasswordHasher`
/// pre-hashes what bcrypt cannot take whole); hashing runs on the hasher's worker threads.
/// Hashes of every scheme verify, whichever scheme writes new ones.
public struct Passwords: Sendable {
    public let hasher: PasswordHasher

    public init(hasher: PasswordHasher) {
        self.hasher = hasher
    }

    public func hash(_ password: String) async throws -> String {
        try await hasher.hash(password)
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await hasher.verify(password, against: hash)
    }

    /// Spends a verification's time, so unknown accounts answer as slowly as known ones.
    public func verifyDummy() async {
        await hasher.verifyDummy()
    }

    public func needsRehash(_ hash: String) -> Bool {
        hasher.needsRehash(hash)
    }
}
