import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServerRuntime
import Synchronization
import Testing

/// `RequestGate` on its own (no clock: every step waits for the gate's own counts) and in front
/// of a router (`GatedResponder`).
@Suite("Request gate")
struct RequestGateTests {
    /// Bodies that run until the test lets them go, one by one, and say in which order they
    /// started.
    final class Held: Sendable {
        private let state = Mutex<(started: [Int], releases: [CheckedContinuation<Void, Never>])>(([], []))

        var started: [Int] { state.withLock { $0.started } }

        func run(_ id: Int) async {
            await withCheckedContinuation { continuation in
                state.withLock {
                    $0.started.append(id)
                    $0.releases.append(continuation)
                }
            }
        }

        /// Lets the oldest running body finish; whether there was one.
        @discardableResult func releaseOldest() -> Bool {
            let next = state.withLock { $0.releases.isEmpty ? nil : $0.releases.removeFirst() }
            next?.resume()
            return next != nil
        }
    }

    struct NeverHappened: Error {}

    /// Polls `condition`; a gate that never gets there fails the test instead of hanging it.
    static func until(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw NeverHappened() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func runsAtMostTheLimitAndAdmitsTheRestInArrivalOrder() async throws {
        let gate = RequestGate(limit: 2)
        let held = Held()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<6 {
                group.addTask { try await gate.run { await held.run(id) } }
                // One at a time, so the arrival order is the ids' order.
                try await Self.until { gate.load.running + gate.load.waiting == id + 1 }
            }
            try await Self.until { held.started.count == 2 }
            #expect(gate.load == (running: 2, waiting: 4))
            for finished in 1...4 {
                held.releaseOldest()
                try await Self.until { held.started.count == 2 + finished }
                #expect(gate.load == (running: 2, waiting: 4 - finished))
            }
            while held.releaseOldest() || held.started.count < 6 { await Task.yield() }
            try await group.waitForAll()
        }
        #expect(held.started == Array(0..<6))
        #expect(gate.load == (running: 0, waiting: 0))
    }

    @Test func aThrowingBodyFreesItsPlace() async throws {
        struct Refused: Error {}
        let gate = RequestGate(limit: 1)
        await #expect(throws: Refused.self) { try await gate.run { throw Refused() } }
        #expect(gate.load == (running: 0, waiting: 0))
        #expect(try await gate.run { 42 } == 42)
    }

    /// A cancelled waiter is not dropped: it runs when its turn comes, sees the cancellation
    /// itself, and frees its place for the next.
    @Test func aCancelledWaiterRunsInItsTurnAndSeesItself() async throws {
        let gate = RequestGate(limit: 1)
        let held = Held()
        let first = Task { try await gate.run { await held.run(0) } }
        try await Self.until { held.started.count == 1 }
        let cancelled = Task { try await gate.run { Task.isCancelled } }
        try await Self.until { gate.load.waiting == 1 }
        cancelled.cancel()
        #expect(gate.load == (running: 1, waiting: 1))
        held.releaseOldest()
        try await first.value
        #expect(try await cancelled.value)
        #expect(gate.load == (running: 0, waiting: 0))
    }

    /// In front of the router, a second request waits while the only place is taken, and a
    /// handler's error still becomes the JSON answer.
    @Test func theResponderHoldsRequestsPastTheLimit() async throws {
        let held = Held()
        let gate = RequestGate(limit: 1)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware<BasicRequestContext>())
        router.get("/held/{id}") { _, context -> String in
            let id = try context.parameters.require("id", as: Int.self)
            await held.run(id)
            return "done \(id)"
        }
        router.get("/fails") { _, _ -> String in throw ServerRuntime.HTTPError(.conflict, detail: "taken") }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let application = Application(responder: GatedResponder(router.buildResponder(), gate: gate), logger: logger)
        try await application.test(.router) { client in
            async let first = client.execute(uri: "/held/1", method: .get)
            try await Self.until { held.started == [1] }
            async let second = client.execute(uri: "/held/2", method: .get)
            try await Self.until { gate.load.waiting == 1 }
            #expect(held.started == [1])
            held.releaseOldest()
            try await Self.until { held.started == [1, 2] }
            held.releaseOldest()
            #expect(try await first.body == ByteBuffer(string: "done 1"))
            #expect(try await second.body == ByteBuffer(string: "done 2"))
            let failed = try await client.execute(uri: "/fails", method: .get)
            #expect(failed.status == .conflict)
            #expect(String(buffer: failed.body) == #"{"detail":"taken"}"#)
            #expect(gate.load == (running: 0, waiting: 0))
        }
    }
}
