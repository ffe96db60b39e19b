import Testing

@testable import Redis

@Suite struct RedisConfigurationTests {
    @Test func parsesURL() throws {
        let configuration = try RedisConfiguration(
            url: "redis://:p%40ss%3Aword@cache.example.com:6380/3?connect_timeout=0.5&command_timeout=5&client_name=api"
        )
        #expect(configuration.host == "cache.example.com")
        #expect(configuration.port == 6380)
        #expect(configuration.user == nil)
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == 3)
        #expect(configuration.connectTimeout == .milliseconds(500))
        #expect(configuration.commandTimeout == .seconds(5))
        #expect(configuration.clientName == "api")
        #expect(configuration.description == "redis://:***@cache.example.com:6380/3")
    }

    @Test func parsesUserAndDefaults() throws {
        let withUser = try RedisConfiguration(url: "redis://app:secret@10.0.0.5")
        #expect(withUser.user == "app")
        #expect(withUser.password == "secret")
        #expect(withUser.port == 6379)
        #expect(withUser.database == 0)
        #expect(withUser.connectTimeout == .seconds(2))
        #expect(withUser.commandTimeout == .seconds(2))
        #expect(!withUser.description.contains("secret"))

        let bare = try RedisConfiguration(url: "redis://[::1]:7000/")
        #expect(bare.host == "::1")
        #expect(bare.port == 7000)
        #expect(bare.password == nil)
        #expect(bare.description == "redis://[::1]:7000/0")

        #expect(try RedisConfiguration(url: "redis://h?command_timeout=0").commandTimeout == nil)
    }

    @Test func rejectsBadURLsWithoutEchoingThem() {
        let urls = [
            "http://:secretpw@h:6379", "rediss://:secretpw@h:6379", "redis://:secretpw@h:6379/db1",
            "redis://:secretpw@h:6379/-1", "redis://:secretpw@:6379", "redis://:secretpw@h:99999",
            "redis://:secretpw@h?timeout=3", "redis://:secretpw@h?connect_timeout=soon", "secretpw", "::",
            "redis://user@h",
        ]
        for url in urls {
            #expect(throws: RedisError.self, "\(url)") {
                try RedisConfiguration(url: url)
            }
            #expect {
                try RedisConfiguration(url: url)
            } throws: { error in
                guard case .invalidURL(let reason) = error as? RedisError else { return false }
                return !reason.contains("secretpw")
            }
        }
        #expect(throws: RedisError.invalidURL("TLS (rediss://) is not supported")) {
            try RedisClient(url: "rediss://h")
        }
    }

    @Test func serverCodeIsTheFirstWord() {
        #expect(
            RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value").serverCode
                == "WRONGTYPE")
        #expect(RedisError.server("NOSCRIPT No matching script. Please use EVAL.").serverCode == "NOSCRIPT")
        #expect(RedisError.server("something lowercase").serverCode == nil)
        #expect(RedisError.timeout.serverCode == nil)
    }
}
