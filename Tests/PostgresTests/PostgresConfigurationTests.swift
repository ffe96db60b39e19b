import Foundation
import Testing

@testable import Postgres

@Suite struct PostgresConfigurationTests {
    @Test func parsesURL() throws {
        let configuration = try PostgresConfiguration(
            url:
                "postgresql://app%40x:p%40ss%3Aword@db.example.com:6543/my%20db?sslmode=require&connect_timeout=3&application_name=api&statement_timeout=1500&target_session_attrs=read-write"
        )
        #expect(configuration.user == "app@x")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "my db")
        #expect(configuration.sslMode == "require")
        #expect(configuration.connectTimeout == .seconds(3))
        #expect(configuration.applicationName == "api")
        #expect(configuration.statementTimeout == .milliseconds(1500))
        #expect(configuration.libpqOptions == ["target_session_attrs": "read-write"])
        #expect(!configuration.description.contains("p@ss"))
        #expect(configuration.startupOptions().contains("-c statement_timeout=1500"))
    }

    @Test func parsesComponentsAndDefaults() throws {
        let configuration = try PostgresConfiguration(url: "postgres://app@[::1]/app")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5432)
        #expect(configuration.password == nil)
        let socket = try PostgresConfiguration(url: "postgresql://app:pw@/app?host=/var/run/postgresql")
        #expect(socket.host == "/var/run/postgresql")
    }

    @Test func readsTheClientsOwnSwitches() throws {
        let defaults = try PostgresConfiguration(url: "postgresql://app@h/app")
        #expect(defaults.usePreparedStatements && defaults.binaryResults)
        let off = try PostgresConfiguration(url: "postgresql://app@h/app?prepared_statements=false&binary_results=OFF")
        #expect(!off.usePreparedStatements && !off.binaryResults)
        #expect(off.libpqOptions.isEmpty)
        let on = try PostgresConfiguration(url: "postgresql://app@h/app?prepared_statements=1&binary_results=true")
        #expect(on.usePreparedStatements && on.binaryResults)
        #expect {
            try PostgresConfiguration(url: "postgresql://app:secretpw@h/app?binary_results=maybe")
        } throws: { error in
            guard case .invalidURL(let reason) = error as? PostgresError else { return false }
            return reason == "binary_results must be true or false"
        }
    }

    @Test func rejectsBadURLsWithoutEchoingThem() {
        for url in ["mysql://u:secretpw@h/db", "postgresql://u:secretpw@h/", "postgresql://h/db", "::"] {
            #expect {
                try PostgresConfiguration(url: url)
            } throws: { error in
                guard case .invalidURL(let reason) = error as? PostgresError else { return false }
                return !reason.contains("secretpw")
            }
        }
    }

    @Test func escapesStartupOptions() {
        var configuration = PostgresConfiguration(user: "u", database: "d")
        configuration.searchPath = ["my schema", "public"]
        configuration.runtimeParameters = ["application_name": "a\\b"]
        let options = configuration.startupOptions()
        #expect(options.contains("-c search_path=\"my\\ schema\",\"public\""))
        #expect(options.contains("-c application_name=a\\\\b"))
        #expect(options.contains("-c TimeZone=UTC"))
    }
}
