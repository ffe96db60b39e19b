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
///
/// A value with one reference inside: every service, security handler and lookup keeps a copy,
/// and an async function that holds one across a suspension stores it in the task's frame. As
/// fourteen stored parts (the settings alone are 37 fields) each copy retained every reference
/// inside and took about a kilobyte of the frame: heaptrack at 1,024 connections on the list
/// route showed the token check's frame at 4.7 KiB per waiting request, the largest of the
/// request's 31 KiB of task memory. The parts are replaced whole on a change (only tests change
/// them, before serving), so the box itself never mutates.
public struct AppDependencies: Sendable {
    /// The parts a change replaces; never mutated once boxed.
    struct Parts: Sendable {
        var settings: Settings
        var pool: PostgresPool
        var redis: RedisClient
        var keys: RedisKeys
        var tokens: TokenCodec
        var passwords: Passwords
        var emails: any EmailSender
        var users: UserRepository
        var items: ItemRepository
        var sessions: SessionStore
        var limiter: RateLimiter
        var cache: ResponseCache
        var notifications: NotificationHub
        var metrics: AppMetrics
    }

    private final class Box: Sendable {
        let parts: Parts
        init(_ parts: Parts) { self.parts = parts }
    }

    private var box: Box

    private mutating func change(_ body: (inout Parts) -> Void) {
        var parts = box.parts
        body(&parts)
        box = Box(parts)
    }

    public var settings: Settings {
        get { box.parts.settings }
        set { change { $0.settings = newValue } }
    }
    public var pool: PostgresPool {
        get { box.parts.pool }
        set { change { $0.pool = newValue } }
    }
    public var redis: RedisClient {
        get { box.parts.redis }
        set { change { $0.redis = newValue } }
    }
    public var keys: RedisKeys {
        get { box.parts.keys }
        set { change { $0.keys = newValue } }
    }
    public var tokens: TokenCodec {
        get { box.parts.tokens }
        set { change { $0.tokens = newValue } }
    }
    public var passwords: Passwords {
        get { box.parts.passwords }
        set { change { $0.passwords = newValue } }
    }
    public var emails: any EmailSender {
        get { box.parts.emails }
        set { change { $0.emails = newValue } }
    }
    public var users: UserRepository {
        get { box.parts.users }
        set { change { $0.users = newValue } }
    }
    public var items: ItemRepository {
        get { box.parts.items }
        set { change { $0.items = newValue } }
    }
    public var sessions: SessionStore {
        get { box.parts.sessions }
        set { change { $0.sessions = newValue } }
    }
    public var limiter: RateLimiter {
        get { box.parts.limiter }
        set { change { $0.limiter = newValue } }
    }
    public var cache: ResponseCache {
        get { box.parts.cache }
        set { change { $0.cache = newValue } }
    }
    public var notifications: NotificationHub {
        get { box.parts.notifications }
        set { change { $0.notifications = newValue } }
    }
    /// The app's metric families (cache, rate limits, pools), live when `METRICS_ENABLED`.
    public var metrics: AppMetrics {
        get { box.parts.metrics }
        set { change { $0.metrics = newValue } }
    }

    public init(
        settings: Settings,
        pool: PostgresPool,
        redis: RedisClient,
        tokens: TokenCodec? = nil,
        hasher: PasswordHasher? = nil,
        emails: any EmailSender = LogEmailSender(),
        logger: Logger = Logger(label: "app")
    ) throws {
        let keys = RedisKeys(prefix: settings.redisKeyPrefix)
        let metrics = AppMetrics(enabled: settings.metricsEnabled)
        let hasher =
            try hasher
            ?? PasswordHasher(
                scheme: settings.passwordHashScheme,
                pool: WorkerPool(
                    threadCount: ProcessInfo.processInfo.activeProcessorCount,
                    memoryBudgetKiB: settings.passwordHashMemoryMiB * 1024))
        let accessLifetime = Duration.seconds(settings.accessTokenExpireMinutes * 60)
        let revocations = RevocationList(
            keys: keys, pool: redis, lifetime: accessLifetime, capacity: settings.revocationListCapacity, logger: logger)
        let parts = Parts(
            settings: settings,
            pool: pool,
            redis: redis,
            keys: keys,
            tokens: try tokens ?? TokenCodec(secret: settings.secretKey),
            passwords: Passwords(hasher: hasher),
            emails: emails,
            users: UserRepository(pool),
            items: ItemRepository(pool),
            sessions: SessionStore(
                pool: redis, keys: keys, refreshLifetime: .seconds(settings.refreshTokenExpireDays * 86_400),
                accessLifetime: accessLifetime, revocations: revocations),
            limiter: RateLimiter(pool: redis, keys: keys, window: settings.rateLimits.window),
            cache: ResponseCache(pool: redis, ttl: .seconds(settings.cacheTTLSeconds), logger: logger, metrics: metrics),
            notifications: NotificationHub(
                pool: redis, configuration: settings.redis, keys: keys, tokenRevocations: revocations, logger: logger),
            metrics: metrics)
        self.box = Box(parts)
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
            subject: UUIDText.format(userID), type: .access,
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
