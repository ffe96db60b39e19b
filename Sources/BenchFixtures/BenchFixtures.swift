import App
import ArgumentParser
import BenchSupport
import Foundation
import Redis
import ServerOptions

/// `bench-fixtures`: the benchmark's fixture tool, a separate executable so the shipped `server`
/// cannot mint tokens. It mints, through
/// the app's own code (`BenchmarkFixtures`), the single-use inputs that `scripts/bench-server.sh`
/// feeds to wrk: sessions as a login starts them, password reset tokens as a recovery e-mail
/// carries them, without paying a bcrypt for each. It reads one user per line on standard input
/// and prints one fixture per line, in the same order. Same settings as `serve`.
@main
struct BenchFixtures: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-fixtures",
        abstract: "Benchmark fixture tool: sessions or reset tokens for the users on standard input, one per line.",
        subcommands: [Sessions.self, ResetTokens.self]
    )

    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "For each user id on standard input, start a session: prints `<access token> <refresh token>`.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let ids = try readLines().map { line in
                guard let id = UUID(uuidString: line) else { throw ValidationError("not a user id: \(line)") }
                return id
            }
            let sessions = try await withFixtures(common) { try await $0.sessions(for: ids) }
            write(sessions.map { "\($0.accessToken) \($0.refreshToken)" })
        }
    }

    struct ResetTokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-tokens", abstract: "For each e-mail on standard input, print a password reset token.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let emails = readLines()
            write(try await withFixtures(common) { try await $0.resetTokens(for: emails) })
        }
    }
}

/// The non-empty lines of standard input.
private func readLines() -> [String] {
    var lines: [String] = []
    while let line = readLine() {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { lines.append(trimmed) }
    }
    return lines
}

private func write(_ lines: [String]) {
    guard !lines.isEmpty else { return }
    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
}

/// Runs `body` with the app's fixtures over the configured PostgreSQL and Redis.
private func withFixtures<T>(_ common: CommonOptions, _ body: (BenchmarkFixtures) async throws -> T) async throws -> T {
    let logger = try common.logger("bench-fixtures")
    let settings = try common.settings(logger: logger)
    return try await withPool(settings.database, size: 8) { pool in
        try await common.waitForDatabase(pool, logger: logger)
        let redis = RedisClient(configuration: settings.redis, connections: settings.redisConnections)
        do {
            let value = try await body(BenchmarkFixtures(try AppDependencies(settings: settings, pool: pool, redis: redis, logger: logger)))
            await redis.close()
            return value
        } catch {
            await redis.close()
            throw error
        }
    }
}
