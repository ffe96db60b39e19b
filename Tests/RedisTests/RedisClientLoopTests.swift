import NIOCore
import NIOPosix
import Testing

@testable import Redis

/// A caller running on an event loop gets that loop's connection (its command and reply never
/// leave the thread); callers elsewhere take the connections in turn.
@Suite struct RedisClientLoopTests {
    /// Runs a task's jobs on one event loop, as the server's tasks run once NIO is the global
    /// executor.
    final class LoopExecutor: TaskExecutor {
        let loop: any EventLoop
        init(_ loop: any EventLoop) { self.loop = loop }
        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// The Redis-side id of the connection each command went out on.
    static func connectionIDs(_ client: RedisClient, on loop: (any EventLoop)?, count: Int) async throws -> Set<Int> {
        var ids: Set<Int> = []
        for _ in 0..<count {
            let reply: RedisReply
            if let loop {
                reply = try await withTaskExecutorPreference(LoopExecutor(loop)) {
                    #expect(MultiThreadedEventLoopGroup.currentEventLoop === loop)
                    return try await client.send(["CLIENT", "ID"])
                }
            } else {
                reply = try await client.send(["CLIENT", "ID"])
            }
            ids.insert(try #require(reply.int))
        }
        return ids
    }

    @Test func aCallerOnAnEventLoopUsesThatLoopsConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let client = RedisClient(configuration: try await TestRedis.configuration(), connections: 2, eventLoopGroup: group)
        let first = try await Self.connectionIDs(client, on: loops[0], count: 6)
        let second = try await Self.connectionIDs(client, on: loops[1], count: 6)
        // One connection per loop, always the caller's own.
        #expect(first.count == 1)
        #expect(second.count == 1)
        #expect(first != second)
        // Off the loops, both connections serve in turn.
        #expect(try await Self.connectionIDs(client, on: nil, count: 6) == first.union(second))
        await client.close()
        try await group.shutdownGracefully()
    }
}
