import App
import Foundation
import Testing

@Suite("Settings")
struct SettingsTests {
    static let base: [String: String] = [
        "POSTGRES_SERVER": "db.internal",
        "POSTGRES_USER": "app",
        "POSTGRES_PASSWORD": "a-real-database-password",
        "POSTGRES_DB": "app",
        "FIRST_SUPERUSER": "admin@example.com",
        "FIRST_SUPERUSER_PASSWORD": "a-real-admin-password",
    ]

    func load(_ overrides: [String: String?]) throws -> Settings {
        var variables = Self.base
        for (name, value) in overrides { variables[name] = value }
        return try Settings(variables: variables)
    }

    func error(_ overrides: [String: String?]) -> SettingsError? {
        do {
            _ = try load(overrides)
            return nil
        } catch let error as SettingsError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func defaultsFollowTheTemplate() throws {
        let settings = try load(["SECRET_KEY": "s3cret"])
        #expect(settings.environment == .local)
        #expect(settings.accessTokenExpireMinutes == 60 * 24 * 8)
        #expect(settings.emailResetTokenExpireHours == 48)
        #expect(settings.database.host == "db.internal")
        #expect(settings.database.port == 5432)
        #expect(settings.database.user == "app")
        #expect(settings.database.database == "app")
        #expect(settings.allCORSOrigins == ["http://localhost:5173"])
        #expect(!settings.emailsEnabled)
        #expect(settings.warnings.isEmpty)
        #expect(settings.passwordHashScheme == .argon2id)
        #expect(settings.databasePoolSize == 10)
        #expect(settings.databasePoolMinimum == 0)
        #expect(settings.databasePoolIdleTimeout == .seconds(60))
        #expect(settings.databasePoolPingInterval == .seconds(30))
    }

    /// The pool's bounds and timers; 0 turns a timer off; a minimum above the size is refused.
    @Test func poolSettings() throws {
        let settings = try load([
            "SECRET_KEY": "s", "POSTGRES_POOL_SIZE": "4", "POSTGRES_POOL_MIN": "2", "POSTGRES_POOL_IDLE_SECONDS": "0",
            "POSTGRES_POOL_PING_SECONDS": "5",
        ])
        #expect(settings.databasePoolMinimum == 2)
        #expect(settings.databasePoolIdleTimeout == nil)
        #expect(settings.databasePoolPingInterval == .seconds(5))
        let error = try #require(
            self.error(["SECRET_KEY": "s", "POSTGRES_POOL_SIZE": "4", "POSTGRES_POOL_MIN": "5", "POSTGRES_POOL_PING_SECONDS": "-1"]))
        #expect(error.description.contains("POSTGRES_POOL_MIN must not exceed POSTGRES_POOL_SIZE (4), got 5"), "\(error)")
        #expect(error.mentions("POSTGRES_POOL_PING_SECONDS"), "\(error)")
    }

    /// argon2id by default, as the template's pwdlib writes; bcrypt on request; anything else
    /// stops the start with the setting named.
    @Test func passwordHashSchemeIsArgon2idOrBcrypt() throws {
        #expect(try load(["SECRET_KEY": "s", "PASSWORD_HASH_SCHEME": "bcrypt"]).passwordHashScheme == .bcrypt)
        #expect(try load(["SECRET_KEY": "s", "PASSWORD_HASH_SCHEME": "Argon2id"]).passwordHashScheme == .argon2id)
        for invalid in ["md5", "argon2", "argon2i", "scrypt"] {
            let error = try #require(self.error(["SECRET_KEY": "s", "PASSWORD_HASH_SCHEME": invalid]))
            #expect(error.mentions("PASSWORD_HASH_SCHEME"))
            #expect(error.description.contains("PASSWORD_HASH_SCHEME must be one of argon2id, bcrypt, got '\(invalid)'"))
        }
    }

    /// One pwdlib argon2id hash (64 MiB) at a time unless told otherwise.
    @Test func passwordHashMemoryIsOneArgon2HashByDefault() throws {
        #expect(try load(["SECRET_KEY": "s"]).passwordHashMemoryMiB == 64)
        #expect(try load(["SECRET_KEY": "s", "PASSWORD_HASH_MEMORY_MIB": "256"]).passwordHashMemoryMiB == 256)
        for invalid in ["0", "-64", "lots"] {
            let error = try #require(self.error(["SECRET_KEY": "s", "PASSWORD_HASH_MEMORY_MIB": invalid]))
            #expect(error.mentions("PASSWORD_HASH_MEMORY_MIB"))
        }
    }

    /// 50,000 revocations held in memory unless told otherwise; 0 asks Redis on every request.
    @Test func revocationListCapacityIsFiftyThousandByDefault() throws {
        #expect(try load(["SECRET_KEY": "s"]).revocationListCapacity == 50_000)
        #expect(try load(["SECRET_KEY": "s", "REVOCATION_LIST_CAPACITY": "0"]).revocationListCapacity == 0)
        for invalid in ["many", "-1", "10000001"] {
            let error = try #require(self.error(["SECRET_KEY": "s", "REVOCATION_LIST_CAPACITY": invalid]))
            #expect(error.mentions("REVOCATION_LIST_CAPACITY"))
        }
    }

    /// The heap is trimmed every 10 s unless told otherwise; 0 turns it off.
    @Test func memoryTrimIntervalIsTenSecondsByDefault() throws {
        #expect(try load(["SECRET_KEY": "s"]).memoryTrimSeconds == 10)
        #expect(try load(["SECRET_KEY": "s", "MEMORY_TRIM_SECONDS": "0"]).memoryTrimSeconds == 0)
        let error = try #require(self.error(["SECRET_KEY": "s", "MEMORY_TRIM_SECONDS": "-1"]))
        #expect(error.mentions("MEMORY_TRIM_SECONDS"))
    }

    /// 64 handlers at once unless told otherwise; 0 sets no bound, and the app then installs
    /// no gate.
    @Test func requestConcurrencyIs64ByDefault() throws {
        #expect(try load(["SECRET_KEY": "s"]).requestConcurrency == 64)
        let unbounded = try load(["SECRET_KEY": "s", "REQUEST_CONCURRENCY": "0"])
        #expect(unbounded.requestConcurrency == 0)
        #expect(ExampleApp.apiConfiguration(settings: unbounded).requestLimit == nil)
        #expect(ExampleApp.apiConfiguration(settings: try load(["SECRET_KEY": "s", "REQUEST_CONCURRENCY": "4"])).requestLimit == 4)
        for bad in ["-1", "many"] {
            let error = try #require(self.error(["SECRET_KEY": "s", "REQUEST_CONCURRENCY": bad]))
            #expect(error.mentions("REQUEST_CONCURRENCY"))
        }
    }

    /// The first 64 open connections run their requests in their own task unless told
    /// otherwise; the gate the app installs carries the number.
    @Test func inlineConnectionsAre64ByDefault() throws {
        let defaults = try load(["SECRET_KEY": "s"])
        #expect(defaults.requestInlineConnections == 64)
        #expect(ExampleApp.apiConfiguration(settings: defaults).requestGate?.inlineConnections.limit == 64)
        let none = try load(["SECRET_KEY": "s", "REQUEST_INLINE_CONNECTIONS": "0"])
        #expect(ExampleApp.apiConfiguration(settings: none).requestGate?.inlineConnections.limit == 0)
        for bad in ["-1", "some"] {
            let error = try #require(self.error(["SECRET_KEY": "s", "REQUEST_INLINE_CONNECTIONS": bad]))
            #expect(error.mentions("REQUEST_INLINE_CONNECTIONS"))
        }
    }

    @Test func missingSecretKeyIsAnErrorOutsideLocal() throws {
        for environment in ["staging", "production"] {
            let error = try #require(self.error(["ENVIRONMENT": environment]))
            #expect(error.mentions("SECRET_KEY"))
            #expect(error.description.contains("SECRET_KEY is required when ENVIRONMENT is \(environment)"))
        }
        // Locally a random key is made up, with a warning.
        let local = try load(["ENVIRONMENT": "local"])
        #expect(local.secretKey.count >= 32)
        #expect(local.warnings.contains { $0.contains("SECRET_KEY") })
        // An empty value counts as unset.
        #expect(self.error(["ENVIRONMENT": "production", "SECRET_KEY": ""])?.mentions("SECRET_KEY") == true)
    }

    @Test func changethisIsRefusedOutsideLocal() throws {
        let error = try #require(self.error(["ENVIRONMENT": "production", "SECRET_KEY": "changethis"]))
        #expect(error.issues.map(\.setting) == ["SECRET_KEY"])
        #expect(error.description.contains("changethis"))
        let all = try #require(
            self.error([
                "ENVIRONMENT": "staging", "SECRET_KEY": "changethis", "POSTGRES_PASSWORD": "changethis",
                "FIRST_SUPERUSER_PASSWORD": "changethis",
            ]))
        #expect(all.issues.map(\.setting) == ["SECRET_KEY", "POSTGRES_PASSWORD", "FIRST_SUPERUSER_PASSWORD"])

        let local = try load(["ENVIRONMENT": "local", "SECRET_KEY": "changethis"])
        #expect(local.secretKey == "changethis")
        #expect(local.warnings.contains { $0.contains("SECRET_KEY") && $0.contains("changethis") })
    }

    @Test func missingAndInvalidSettingsAreNamed() throws {
        let error = try #require(
            self.error([
                "SECRET_KEY": "s", "POSTGRES_SERVER": nil, "FIRST_SUPERUSER": "not-an-email",
                "ACCESS_TOKEN_EXPIRE_MINUTES": "eight days", "ENVIRONMENT": "dev", "POSTGRES_PORT": "99999",
                "FIRST_SUPERUSER_PASSWORD": nil,
            ]))
        for setting in [
            "ENVIRONMENT", "ACCESS_TOKEN_EXPIRE_MINUTES", "POSTGRES_SERVER", "POSTGRES_PORT", "FIRST_SUPERUSER", "FIRST_SUPERUSER_PASSWORD",
        ] {
            #expect(error.mentions(setting), "\(setting) in \(error)")
        }
        #expect(error.description.contains("ENVIRONMENT must be one of local, staging, production, got 'dev'"))
        #expect(error.description.contains("ACCESS_TOKEN_EXPIRE_MINUTES must be a whole number, got 'eight days'"))

        // Past bcrypt's 72 bytes is fine: the hasher pre-hashes what bcrypt cannot take whole.
        #expect(self.error(["SECRET_KEY": "s", "FIRST_SUPERUSER_PASSWORD": String(repeating: "x", count: 73)]) == nil)
    }

    @Test func databaseURLReplacesThePostgresVariables() throws {
        let settings = try load([
            "SECRET_KEY": "s", "POSTGRES_SERVER": nil, "POSTGRES_USER": nil,
            "DATABASE_URL": "postgresql://u:p@example.org:6543/appdb",
        ])
        #expect(settings.database.host == "example.org")
        #expect(settings.database.port == 6543)
        #expect(settings.database.database == "appdb")
        #expect(self.error(["SECRET_KEY": "s", "DATABASE_URL": "mysql://x"])?.mentions("DATABASE_URL") == true)
    }

    @Test func corsOriginsAreACommaListOrAJSONList() throws {
        let comma = try load(["SECRET_KEY": "s", "BACKEND_CORS_ORIGINS": "http://localhost, https://dashboard.example.com/"])
        #expect(comma.backendCORSOrigins == ["http://localhost", "https://dashboard.example.com"])
        let json = try load([
            "SECRET_KEY": "s", "BACKEND_CORS_ORIGINS": #"["http://localhost:3000","http://localhost:5173"]"#,
            "FRONTEND_HOST": "http://localhost:5173",
        ])
        #expect(json.allCORSOrigins == ["http://localhost:3000", "http://localhost:5173"])
        #expect(self.error(["SECRET_KEY": "s", "BACKEND_CORS_ORIGINS": "[not json"])?.mentions("BACKEND_CORS_ORIGINS") == true)
        #expect(self.error(["SECRET_KEY": "s", "BACKEND_CORS_ORIGINS": "localhost"])?.mentions("BACKEND_CORS_ORIGINS") == true)
    }

    @Test func environmentWinsOverTheDotEnvFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(".env")
        try """
        # Domain
        ENVIRONMENT=staging
        SECRET_KEY='from-the-file'
        export ACCESS_TOKEN_EXPIRE_MINUTES=60  # one hour
        POSTGRES_SERVER=localhost
        POSTGRES_USER=postgres
        POSTGRES_PASSWORD="pa ss\\"word"
        FIRST_SUPERUSER=admin@example.com
        FIRST_SUPERUSER_PASSWORD=from-the-file-too
        """.write(to: file, atomically: true, encoding: .utf8)
        let settings = try Settings.load(environment: ["SECRET_KEY": "from-the-environment"], dotEnvFile: file)
        #expect(settings.environment == .staging)
        #expect(settings.secretKey == "from-the-environment")
        #expect(settings.accessTokenExpireMinutes == 60)
        #expect(settings.database.password == "pa ss\"word")

        // A missing file is fine unless it was asked for.
        let missing = folder.appendingPathComponent("absent.env")
        _ = try Settings.load(environment: Self.base, dotEnvFile: missing)
        #expect(throws: SettingsError.self) { try Settings.load(environment: Self.base, dotEnvFile: missing, dotEnvRequired: true) }
    }

    @Test func dotEnvParsing() throws {
        let values = try DotEnv.parse(
            """
            A=1
              B = two words   # comment
            C="multi
            line"
            D='single # not a comment'
            E=
            # F=ignored
            """)
        #expect(values == ["A": "1", "B": "two words", "C": "multi\nline", "D": "single # not a comment", "E": ""])
        #expect(throws: DotEnv.ParseError.self) { try DotEnv.parse("NOT A LINE") }
    }
}
