import API
import Foundation
import Logging
import Redis
import ServerRuntime
import Synchronization
import Testing

@testable import App

/// Each instance's in-memory list of revoked sessions and tokens, fed by Redis publish/subscribe:
/// several "instances" (their own Redis client, list, session store and notification hub) on
/// the test Redis under one key prefix.
@Suite("Revocation list")
struct RevocationListTests {
    struct Instance {
        let redis: RedisClient
        let list: RevocationList
        let sessions: SessionStore
        let hub: NotificationHub
        let keys: RedisKeys
    }

    static let lifetime = Duration.seconds(3600)

    func instance(
        _ settings: Settings, capacity: Int = 1000, overflowRetry: Duration = .seconds(60), clientName: String? = nil,
        logger: Logger? = nil
    ) -> Instance {
        var configuration = settings.redis
        configuration.clientName = clientName
        let redis = RedisClient(configuration: configuration, connections: 1)
        let keys = RedisKeys(prefix: settings.redisKeyPrefix)
        var logger = logger ?? Logger(label: "revocation-list-tests")
        if logger.logLevel > .critical { logger.logLevel = .critical }
        let list = RevocationList(
            keys: keys, pool: redis, lifetime: Self.lifetime, capacity: capacity, overflowRetry: overflowRetry, logger: logger)
        let sessions = SessionStore(
            pool: redis, keys: keys, refreshLifetime: .seconds(7200), accessLifetime: Self.lifetime, revocations: list)
        let hub = NotificationHub(pool: redis, configuration: configuration, keys: keys, tokenRevocations: list, logger: logger)
        return Instance(redis: redis, list: list, sessions: sessions, hub: hub, keys: keys)
    }

    /// Runs `body` with the hubs of `running` subscribed (stopped afterwards).
    func withHubs(_ running: [Instance], _ body: () async throws -> Void) async throws {
        let tasks = running.map { instance in Task { try await instance.hub.run() } }
        defer { for task in tasks { task.cancel() } }
        try await body()
        for task in tasks {
            task.cancel()
            _ = await task.result
        }
        for instance in running { await instance.redis.close() }
    }

    /// Polls until the list says `sessionID` is revoked; meanwhile it may not know (nil), but
    /// it must never answer that the session is valid.
    func expectRefusedWithoutEverAccepting(
        _ list: RevocationList, sessionID: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        var answers: [Bool?] = []
        let refused = await eventually {
            let answer = list.isRevoked(sessionID: sessionID, tokenID: nil)
            answers.append(answer)
            return answer == true
        }
        #expect(refused, sourceLocation: sourceLocation)
        #expect(!answers.contains(false), "\(answers)", sourceLocation: sourceLocation)
    }

    func complete(_ instance: Instance) async -> Bool {
        await eventually { instance.list.isRevoked(sessionID: "probe", tokenID: nil) == false }
    }

    @Test func aRevocationReachesAnotherInstancesListAndTheRevokingOneAtOnce() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let (a, b) = (instance(settings), instance(settings))
            try await withHubs([a, b]) {
                #expect(await complete(a))
                #expect(await complete(b))
                let user = UUID()
                try await a.sessions.end(sessionID: "s1", userID: user, tokenID: "t1", tokenExpiresAt: Date() + 600)
                // The revoking instance knows before Redis delivers the message back.
                #expect(a.list.isRevoked(sessionID: "s1", tokenID: nil) == true)
                #expect(a.list.isRevoked(sessionID: nil, tokenID: "t1") == true)
                #expect(await eventually { b.list.isRevoked(sessionID: "s1", tokenID: nil) == true })
                #expect(await eventually { b.list.isRevoked(sessionID: "other", tokenID: "t1") == true })
                #expect(b.list.isRevoked(sessionID: "other", tokenID: "t2") == false)
                #expect(b.list.isRevoked(sessionID: nil, tokenID: nil) == false)
            }
        }
    }

    @Test func revocationsAlreadyInRedisAreLoadedWhenAnInstanceStarts() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let (a, b) = (instance(settings), instance(settings))
            try await a.sessions.end(sessionID: "before", userID: UUID(), tokenID: "token-before", tokenExpiresAt: Date() + 600)
            // Not followed yet: the list cannot tell.
            #expect(b.list.isRevoked(sessionID: "before", tokenID: nil) == nil)
            try await withHubs([b]) {
                #expect(await complete(b))
                #expect(b.list.isRevoked(sessionID: "before", tokenID: nil) == true)
                #expect(b.list.isRevoked(sessionID: nil, tokenID: "token-before") == true)
            }
            await a.redis.close()
        }
    }

    /// Every hub hears every item event, its own included; with no socket open it has no one
    /// to hand one to and does not decode it (an undecodable one is not even noticed), while
    /// with a socket open it decodes, warns about the undecodable and delivers the rest.
    @Test func itemEventsAreDecodedOnlyWhileASocketIsOpen() async throws {
        let warnings = Mutex<[String]>([])
        var logger = Logger(label: "hub-tests") { label in
            TextLogHandler(label: label) { line in warnings.withLock { $0.append(String(decoding: line, as: UTF8.self)) } }
        }
        logger.logLevel = .warning
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let (a, b) = (instance(settings), instance(settings, logger: logger))
            try await withHubs([b]) {
                #expect(await complete(b))
                // Messages on one subscription arrive in order: once a later revocation is in
                // b's list, b has dispatched the item event before it.
                func publishedInOrder(_ payload: String) async throws {
                    _ = try await a.redis.publish(a.keys.notificationsChannel, payload)
                    let user = UUID()
                    let session = try await a.sessions.start(userID: user)
                    try await a.sessions.endAll(userID: user)
                    #expect(await eventually { b.list.isRevoked(sessionID: session.sessionID, tokenID: nil) == true })
                }
                try await publishedInOrder("not json")
                #expect(warnings.withLock { $0 }.isEmpty)

                let owner = UUID()
                var events = b.hub.events(for: owner, sessionID: nil, tokenID: nil).makeAsyncIterator()
                try await publishedInOrder("not json")
                #expect(warnings.withLock { $0 }.contains { $0.contains("notifications: undecodable message dropped") })
                let item = UUID()
                await a.hub.publish(ItemNotification(event: .deleted, itemId: item, ownerId: owner))
                guard case .notification(let received) = await events.next() else {
                    Issue.record("the socket's owner gets the event")
                    return
                }
                #expect(received.itemId == item)
            }
            await a.redis.close()
        }
    }

    @Test func endingEverySessionAndReusingARefreshTokenArePublished() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let (a, b) = (instance(settings), instance(settings))
            try await withHubs([b]) {
                #expect(await complete(b))
                let user = UUID()
                let first = try await a.sessions.start(userID: user)
                let second = try await a.sessions.start(userID: user)
                try await a.sessions.endAll(userID: user)
                for session in [first.sessionID, second.sessionID] {
                    #expect(a.list.isRevoked(sessionID: session, tokenID: nil) == nil, "a's hub is not running")
                    #expect(await eventually { b.list.isRevoked(sessionID: session, tokenID: nil) == true })
                }

                let third = try await a.sessions.start(userID: user)
                guard case .rotated = try await a.sessions.rotate(third.refreshToken) else {
                    Issue.record("the first exchange rotates")
                    return
                }
                #expect(try await a.sessions.rotate(third.refreshToken) == .reused(userID: user, sessionID: third.sessionID))
                #expect(await eventually { b.list.isRevoked(sessionID: third.sessionID, tokenID: nil) == true })
            }
            await a.redis.close()
        }
    }

    /// Messages published while a subscriber reconnects are lost: from the moment it notices,
    /// the list answers nil (the caller asks Redis) until it has loaded again, and it never
    /// answers that a revoked session is valid.
    @Test func aLostSubscriberConnectionIsFollowedByAReload() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, admin in
            let name = "revocations-\(UUID().uuidString.prefix(8))"
            let (a, b) = (instance(settings), instance(settings, clientName: name))
            try await withHubs([b]) {
                #expect(await complete(b))
                let before = try #require(b.list.completeConnection)
                let clients = try await admin.send(["CLIENT", "LIST", "TYPE", "pubsub"]).string ?? ""
                let line = try #require(clients.split(separator: "\n").first { $0.contains(" name=\(name) ") })
                let id = try #require(line.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
                _ = try await admin.send(["CLIENT", "KILL", "ID", String(id)])
                #expect(await eventually { b.list.completeConnection != before })
                try await a.sessions.end(sessionID: "during", userID: UUID(), tokenID: nil, tokenExpiresAt: Date())
                await expectRefusedWithoutEverAccepting(b.list, sessionID: "during")
                #expect(try #require(b.list.completeConnection) > before)
            }
            await a.redis.close()
        }
    }

    @Test func pastItsCapacityTheListStopsAnswering() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let a = instance(settings, capacity: 2)
            try await withHubs([a]) {
                #expect(await complete(a))
                for index in 0..<2 {
                    try await a.sessions.end(sessionID: nil, userID: UUID(), tokenID: "t\(index)", tokenExpiresAt: Date() + 600)
                }
                #expect(a.list.isRevoked(sessionID: nil, tokenID: "t0") == true)
                // A third does not fit: the list no longer knows every revocation.
                try await a.sessions.end(sessionID: "s", userID: UUID(), tokenID: nil, tokenExpiresAt: Date())
                #expect(a.list.isRevoked(sessionID: "s", tokenID: nil) == nil)
                #expect(a.list.isRevoked(sessionID: "unknown", tokenID: nil) == nil)
                #expect(a.list.isRevoked(sessionID: nil, tokenID: "t0") == nil)
            }
        }
    }

    /// Past its capacity the list ignores revocations until the next load rather than sweeping
    /// the full list once for each.
    @Test func aFloodPastTheCapacitySweepsOnce() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let a = instance(settings, capacity: 100)
            for index in 0..<2000 {
                a.list.add(sessionID: "s\(index)", tokenID: nil, expiresIn: .seconds(600))
            }
            #expect(a.list.sweeps <= 1)
            #expect(a.list.isRevoked(sessionID: "s0", tokenID: nil) == nil)
            await a.redis.close()
        }
    }

    /// Revocations that expired make room again: a load after `overflowRetry` holds the rest.
    /// However the timing falls (the third revocation refused, or already fitting because the
    /// first two had expired), the list never answers that the third is valid.
    @Test func expiredRevocationsMakeRoomAgain() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let a = instance(settings, capacity: 2, overflowRetry: .milliseconds(300))
            try await withHubs([a]) {
                #expect(await complete(a))
                for index in 0..<2 {
                    try await a.sessions.end(sessionID: nil, userID: UUID(), tokenID: "short\(index)", tokenExpiresAt: Date() + 1)
                }
                try await a.sessions.end(sessionID: "s", userID: UUID(), tokenID: nil, tokenExpiresAt: Date())
                await expectRefusedWithoutEverAccepting(a.list, sessionID: "s")
                #expect(a.list.isRevoked(sessionID: "unknown", tokenID: nil) == false)
            }
        }
    }

    @Test func aCapacityOfZeroNeverAnswers() async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let a = instance(settings, capacity: 0)
            try await withHubs([a]) {
                try await a.sessions.end(sessionID: "s", userID: UUID(), tokenID: nil, tokenExpiresAt: Date())
                try await Task.sleep(for: .milliseconds(200))
                #expect(a.list.isRevoked(sessionID: "s", tokenID: nil) == nil)
                #expect(a.list.isRevoked(sessionID: "unknown", tokenID: nil) == nil)
            }
        }
    }

    @Test(arguments: ["", "x", "12", "12 ", "-5 key", "0 key", "abc app:revoked-session:s", "\u{FF}"])
    func aMalformedMessageIsDroppedWithoutEffect(_ text: String) async throws {
        try await TestApp.withRedis(settings: [:]) { settings, _ in
            let a = instance(settings)
            try await withHubs([a]) {
                #expect(await complete(a))
                a.list.receive(Array(text.utf8))
                a.list.receive([0xFF, 0xFE, 0x20])
                #expect(a.list.isRevoked(sessionID: "s", tokenID: nil) == false)
                #expect(a.list.isRevoked(sessionID: "", tokenID: "") == false)
                // A well-formed message for a key of another kind is dropped too.
                a.list.receive(Array("1000 \(a.keys.prefix)session:s".utf8))
                #expect(a.list.isRevoked(sessionID: "s", tokenID: nil) == false)
            }
        }
    }

    @Test func thePatternEscapesTheKeyPrefix() {
        #expect(RedisKeys(prefix: "app:").revokedPattern == "app:revoked-*")
        #expect(RedisKeys(prefix: "a*b?[c]\\:").revokedPattern == "a\\*b\\?\\[c\\]\\\\:revoked-*")
    }
}
