import Testing

@testable import Postgres

/// The pool's rules with no database and no real time: each event gets an explicit `now`, and
/// each test checks the exact actions the owner would carry out.
@Suite struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<String>

    /// A time the test writes down: milliseconds after the machine's origin.
    func at(_ milliseconds: Int) -> Duration { .milliseconds(milliseconds) }

    func machine(
        min: Int = 0, max: Int = 2, idleTimeout: Int? = nil, healthCheck: Int? = nil, sharingLimit: Int = 32
    ) -> Machine {
        var configuration = Machine.Configuration()
        configuration.minConnections = min
        configuration.maxConnections = max
        configuration.checkoutTimeout = .milliseconds(1000)
        configuration.idleTimeout = idleTimeout.map { .milliseconds($0) }
        configuration.healthCheckInterval = healthCheck.map { .milliseconds($0) }
        configuration.sharingLimit = sharingLimit
        configuration.initialBackoff = .milliseconds(100)
        configuration.maxBackoff = .milliseconds(400)
        return Machine(configuration: configuration)
    }

    /// A machine with connection 0 leased to "a" (opened at 10 ms).
    func machineWithLease(max: Int = 1, idleTimeout: Int? = nil, healthCheck: Int? = nil) -> Machine {
        var pool = machine(max: max, idleTimeout: idleTimeout, healthCheck: healthCheck)
        _ = pool.request("a", kind: .exclusive, now: at(0))
        _ = pool.connectionOpened(0, now: at(10))
        return pool
    }

    @Test func opensLazilyUpToTheMaximumAndLeasesInOrder() {
        var pool = machine(max: 2)
        // A connection opens for each waiter; their waits are bounded by the connect timeout.
        #expect(pool.request("a", kind: .exclusive, now: at(0)) == [.park("a"), .open(0)])
        #expect(pool.request("b", kind: .exclusive, now: at(10)) == [.park("b"), .open(1)])
        // The maximum is reached, opening connections included: "c" waits for a free one, for
        // at most the checkout timeout.
        #expect(pool.request("c", kind: .exclusive, now: at(20)) == [.park("c"), .scheduleTimer(at(1020))])
        #expect(pool.statistics == .init(open: 2, idle: 0, leased: 0, waiting: 3))
        #expect(pool.connectionOpened(0, now: at(30)) == [.lease(0, to: "a")])
        #expect(pool.connectionOpened(1, now: at(40)) == [.lease(1, to: "b")])
        #expect(pool.released(0, now: at(50)) == [.lease(0, to: "c")])
        #expect(pool.statistics == .init(open: 2, idle: 0, leased: 2, waiting: 0))
        #expect(pool.released(0, now: at(60)) == [])
        #expect(pool.statistics == .init(open: 2, idle: 1, leased: 1, waiting: 0))
        // A free connection is leased at once.
        #expect(pool.request("d", kind: .exclusive, now: at(70)) == [.lease(0, to: "d")])
    }

    @Test func theOldestWaiterGetsTheNextConnection() {
        var pool = machineWithLease()
        #expect(pool.request("b", kind: .exclusive, now: at(20)) == [.park("b"), .scheduleTimer(at(1020))])
        #expect(pool.request("c", kind: .exclusive, now: at(21)) == [.park("c")])
        #expect(pool.request("d", kind: .exclusive, now: at(22)) == [.park("d")])
        #expect(pool.released(0, now: at(100)) == [.lease(0, to: "b")])
        #expect(pool.released(0, now: at(110)) == [.lease(0, to: "c")])
        #expect(pool.released(0, now: at(120)) == [.lease(0, to: "d")])
    }

    @Test func idleConnectionUsedLastIsLeasedFirst() {
        var pool = machine(max: 2)
        _ = pool.request("a", kind: .exclusive, now: at(0))
        _ = pool.request("b", kind: .exclusive, now: at(0))
        _ = pool.connectionOpened(0, now: at(10))
        _ = pool.connectionOpened(1, now: at(10))
        _ = pool.released(1, now: at(20))
        _ = pool.released(0, now: at(30))
        #expect(pool.request("c", kind: .exclusive, now: at(40)) == [.lease(0, to: "c")])
    }

    @Test func checkoutTimeoutFailsTheWaiterWhoseTimeIsUp() {
        var pool = machineWithLease()
        #expect(pool.request("b", kind: .exclusive, now: at(100)) == [.park("b"), .scheduleTimer(at(1100))])
        // A later deadline leaves the armed timer alone.
        #expect(pool.request("c", kind: .exclusive, now: at(500)) == [.park("c")])
        // Fired early: nothing expires, and it is armed again.
        #expect(pool.timerFired(now: at(900)) == [.scheduleTimer(at(1100))])
        #expect(pool.timerFired(now: at(1100)) == [.fail("b", .checkoutTimeout), .scheduleTimer(at(1500))])
        #expect(pool.statistics.waiting == 1)
        #expect(pool.released(0, now: at(1200)) == [.lease(0, to: "c")])
        // Its deadline passes while it holds the connection: nothing to fail.
        #expect(pool.timerFired(now: at(1500)) == [])
    }

    @Test func waiterWithAConnectionOpeningForItTimesOutOnlyWhenTheOpenFails() {
        var pool = machineWithLease(max: 2)
        #expect(pool.request("b", kind: .exclusive, now: at(20)) == [.park("b"), .open(1)])
        #expect(pool.timerFired(now: at(5000)) == [])
        // Connection 0 could still serve "b", so it waits, now for the checkout timeout, which
        // has passed.
        #expect(pool.connectionFailed(1, now: at(5010)) == [.scheduleTimer(at(1020))])
        #expect(pool.timerFired(now: at(5010)) == [.fail("b", .checkoutTimeout)])
    }

    @Test func cancelledWaiterLeavesTheQueue() {
        var pool = machineWithLease()
        _ = pool.request("b", kind: .exclusive, now: at(20))
        _ = pool.request("c", kind: .exclusive, now: at(30))
        #expect(pool.cancel("b") == [.fail("b", .cancelled)])
        #expect(pool.cancel("b") == [])
        #expect(pool.cancel("a") == [])
        #expect(pool.released(0, now: at(40)) == [.lease(0, to: "c")])
    }

    @Test func failedOpensBackOffAndProbeOneAtATime() {
        var pool = machine(max: 2)
        #expect(pool.request("a", kind: .exclusive, now: at(0)) == [.park("a"), .open(0)])
        // No connection is left to serve "a": it fails at once instead of waiting out its timeout.
        #expect(pool.connectionFailed(0, now: at(10)) == [.fail("a", .connectFailed)])
        // Inside the backoff (100 ms): the request waits for the retry.
        #expect(pool.request("b", kind: .exclusive, now: at(20)) == [.park("b"), .scheduleTimer(at(110))])
        #expect(pool.timerFired(now: at(110)) == [.open(1)])
        // While opens fail, one probe at a time, even with room for more; "c" has no open of its
        // own, so its checkout timeout runs.
        #expect(pool.request("c", kind: .exclusive, now: at(115)) == [.park("c"), .scheduleTimer(at(1115))])
        // The second failure doubles the backoff.
        #expect(pool.connectionFailed(1, now: at(120)) == [.fail("b", .connectFailed), .fail("c", .connectFailed)])
        #expect(pool.request("d", kind: .exclusive, now: at(130)) == [.park("d"), .scheduleTimer(at(320))])
        #expect(pool.timerFired(now: at(320)) == [.open(2)])
        // Success clears the backoff: opens start at once again.
        #expect(pool.connectionOpened(2, now: at(330)) == [.lease(2, to: "d")])
        #expect(pool.request("e", kind: .exclusive, now: at(340)) == [.park("e"), .open(3)])
    }

    @Test func backoffDoublesUpToItsMaximum() {
        var pool = machine(max: 1)
        _ = pool.request("r0", kind: .exclusive, now: at(0))
        var now = 0
        var delays: [Int] = []
        for attempt in 0..<5 {
            #expect(pool.connectionFailed(attempt, now: at(now)) == [.fail("r\(attempt)", .connectFailed)])
            let actions = pool.request("r\(attempt + 1)", kind: .exclusive, now: at(now))
            guard case .scheduleTimer(let retry) = actions.last else {
                Issue.record("no retry timer in \(actions)")
                return
            }
            let delay = Int(retry / .milliseconds(1)) - now
            delays.append(delay)
            now += delay
            #expect(pool.timerFired(now: at(now)).first == .open(attempt + 1))
        }
        #expect(delays == [100, 200, 400, 400, 400])
    }

    @Test func aFailedOpenLeavesWaitersQueuedWhileAnotherConnectionCanServeThem() {
        var pool = machineWithLease(max: 2)
        #expect(pool.request("b", kind: .exclusive, now: at(20)) == [.park("b"), .open(1)])
        // Not failed: connection 0 comes back to it. The retry is armed for after the backoff.
        #expect(pool.connectionFailed(1, now: at(30)) == [.scheduleTimer(at(130))])
        #expect(pool.released(0, now: at(40)) == [.lease(0, to: "b")])
    }

    @Test func minimumIsOpenedAtStartAndReplacedAfterALoss() {
        var pool = machine(min: 2, max: 3, idleTimeout: 1000)
        #expect(pool.start(now: at(0)) == [.open(0), .open(1)])
        #expect(pool.connectionOpened(0, now: at(10)) == [])
        #expect(pool.connectionOpened(1, now: at(10)) == [])
        #expect(pool.statistics == .init(open: 2, idle: 2, leased: 0, waiting: 0))
        // Lost while idle (or closed by its borrower): replaced.
        #expect(pool.closed(0, now: at(100)) == [.open(2)])
        // The replacement fails: retried after the backoff, with nobody waiting.
        #expect(pool.connectionFailed(2, now: at(110)) == [.scheduleTimer(at(210))])
        #expect(pool.timerFired(now: at(210)) == [.open(3)])
        #expect(pool.connectionOpened(3, now: at(220)) == [])
        // At the minimum, idle connections never time out.
        #expect(pool.timerFired(now: at(60_000)) == [])
        #expect(pool.statistics.open == 2)
    }

    @Test func idleTimeoutClosesOnlyConnectionsAboveTheMinimumOldestFirst() {
        var pool = machine(min: 1, max: 3, idleTimeout: 1000)
        #expect(pool.start(now: at(0)) == [.open(0)])
        #expect(pool.connectionOpened(0, now: at(0)) == [])
        #expect(pool.request("a", kind: .exclusive, now: at(10)) == [.lease(0, to: "a")])
        #expect(pool.request("b", kind: .exclusive, now: at(10)) == [.park("b"), .open(1)])
        #expect(pool.request("c", kind: .exclusive, now: at(10)) == [.park("c"), .open(2)])
        #expect(pool.connectionOpened(1, now: at(20)) == [.lease(1, to: "b")])
        #expect(pool.connectionOpened(2, now: at(20)) == [.lease(2, to: "c")])
        #expect(pool.released(0, now: at(100)) == [.scheduleTimer(at(1100))])
        #expect(pool.released(1, now: at(200)) == [])
        #expect(pool.released(2, now: at(300)) == [])
        #expect(pool.timerFired(now: at(1100)) == [.close(0), .scheduleTimer(at(1200))])
        // Both remaining ones have expired, but one is the minimum: the one used last stays.
        #expect(pool.timerFired(now: at(1300)) == [.close(1)])
        #expect(pool.statistics == .init(open: 1, idle: 1, leased: 0, waiting: 0))
        #expect(pool.request("d", kind: .exclusive, now: at(1400)) == [.lease(2, to: "d")])
    }

    @Test func leasedConnectionsDoNotTimeOut() {
        var pool = machineWithLease(idleTimeout: 100)
        #expect(pool.timerFired(now: at(10_000)) == [])
        #expect(pool.released(0, now: at(10_010)) == [.scheduleTimer(at(10_110))])
        #expect(pool.timerFired(now: at(10_110)) == [.close(0)])
        #expect(pool.statistics.open == 0)
    }

    @Test func idleConnectionsArePingedAfterTheInterval() {
        var pool = machineWithLease(healthCheck: 500)
        #expect(pool.released(0, now: at(100)) == [.scheduleTimer(at(600))])
        #expect(pool.timerFired(now: at(600)) == [.healthCheck(0)])
        // Being pinged, it is not idle: a request waits for the ping.
        #expect(pool.statistics == .init(open: 1, idle: 0, leased: 0, waiting: 0))
        #expect(pool.request("b", kind: .exclusive, now: at(610)) == [.park("b"), .scheduleTimer(at(1610))])
        #expect(pool.healthCheckFinished(0, healthy: true, now: at(620)) == [.lease(0, to: "b")])
        // A use restarts the interval.
        #expect(pool.released(0, now: at(700)) == [.scheduleTimer(at(1200))])
        #expect(pool.timerFired(now: at(1200)) == [.healthCheck(0)])
        #expect(pool.healthCheckFinished(0, healthy: true, now: at(1210)) == [.scheduleTimer(at(1710))])
    }

    @Test func failedPingClosesTheConnectionAndOpensOneForWaiters() {
        var pool = machineWithLease(healthCheck: 500)
        _ = pool.released(0, now: at(100))
        _ = pool.timerFired(now: at(600))
        _ = pool.request("b", kind: .exclusive, now: at(610))
        #expect(pool.healthCheckFinished(0, healthy: false, now: at(620)) == [.close(0), .open(1)])
        #expect(pool.connectionOpened(1, now: at(630)) == [.lease(1, to: "b")])
    }

    @Test func pingDoesNotPostponeTheIdleTimeout() {
        var pool = machineWithLease(idleTimeout: 1000, healthCheck: 500)
        #expect(pool.released(0, now: at(100)) == [.scheduleTimer(at(600))])
        #expect(pool.timerFired(now: at(600)) == [.healthCheck(0)])
        #expect(pool.healthCheckFinished(0, healthy: true, now: at(610)) == [.scheduleTimer(at(1100))])
        #expect(pool.timerFired(now: at(1100)) == [.close(0)])
    }

    @Test func shutdownFailsWaitersAndClosesConnectionsAsTheyComeBack() {
        var pool = machineWithLease(max: 3)
        // Connection 0 leased to "a", 1 to "b", 2 opening for "d", who waits.
        #expect(pool.request("b", kind: .exclusive, now: at(20)) == [.park("b"), .open(1)])
        #expect(pool.connectionOpened(1, now: at(30)) == [.lease(1, to: "b")])
        #expect(pool.request("d", kind: .exclusive, now: at(60)) == [.park("d"), .open(2)])
        #expect(pool.shutdown() == [.fail("d", .poolClosed)])
        #expect(pool.shutdown() == [])
        #expect(pool.request("f", kind: .shared, now: at(90)) == [.fail("f", .poolClosed)])
        #expect(pool.connectionOpened(2, now: at(100)) == [.close(2)])
        #expect(pool.released(0, now: at(110)) == [.close(0)])
        #expect(pool.released(1, now: at(120)) == [.close(1)])
        #expect(pool.timerFired(now: at(2000)) == [])
        #expect(pool.statistics == .init(open: 0, idle: 0, leased: 0, waiting: 0))
    }

    @Test func shutdownClosesIdleConnectionsAtOnce() {
        var pool = machineWithLease(max: 2, healthCheck: 500)
        _ = pool.request("b", kind: .exclusive, now: at(20))
        _ = pool.connectionOpened(1, now: at(30))
        _ = pool.released(0, now: at(40))
        _ = pool.released(1, now: at(50))
        _ = pool.timerFired(now: at(540))
        // 0 is being pinged, 1 is idle.
        #expect(pool.shutdown() == [.close(1), .cancelTimer])
        #expect(pool.healthCheckFinished(0, healthy: true, now: at(560)) == [.close(0)])
        #expect(pool.statistics.open == 0)
    }

    @Test func sharedRequestsRideOnBusySharedConnectionsOnlyWhenNoOneWaits() {
        var pool = machine(max: 1, sharingLimit: 2)
        #expect(pool.request("a", kind: .shared, now: at(0)) == [.park("a"), .open(0)])
        #expect(pool.connectionOpened(0, now: at(10)) == [.lease(0, to: "a")])
        // No room for a new connection: "b" is pipelined behind "a".
        #expect(pool.request("b", kind: .shared, now: at(20)) == [.lease(0, to: "b")])
        #expect(pool.statistics == .init(open: 1, idle: 0, leased: 1, waiting: 0))
        // The sharing limit is reached.
        #expect(pool.request("c", kind: .shared, now: at(30)) == [.park("c"), .scheduleTimer(at(1030))])
        #expect(pool.request("d", kind: .exclusive, now: at(40)) == [.park("d")])
        // Someone waits: a shared request does not overtake.
        #expect(pool.request("e", kind: .shared, now: at(50)) == [.park("e")])
        // A freed share goes to the head, which can share.
        #expect(pool.released(0, now: at(60)) == [.lease(0, to: "c")])
        // The head ("d") needs the whole connection: it waits for the last sharer.
        #expect(pool.released(0, now: at(70)) == [])
        #expect(pool.released(0, now: at(80)) == [.lease(0, to: "d")])
        #expect(pool.released(0, now: at(90)) == [.lease(0, to: "e")])
    }

    @Test func exclusiveLeasesAreNeverShared() {
        var pool = machineWithLease()
        #expect(pool.request("b", kind: .shared, now: at(20)) == [.park("b"), .scheduleTimer(at(1020))])
    }

    @Test func sharedRequestPrefersANewConnectionToABusyOne() {
        var pool = machine(max: 2)
        _ = pool.request("a", kind: .shared, now: at(0))
        _ = pool.connectionOpened(0, now: at(10))
        #expect(pool.request("b", kind: .shared, now: at(20)) == [.park("b"), .open(1)])
    }

    @Test func aFreedConnectionGoesToTheHeadAloneEvenWhenOthersCouldShareIt() {
        var pool = machine(max: 1, sharingLimit: 3)
        _ = pool.request("a", kind: .exclusive, now: at(0))
        _ = pool.connectionOpened(0, now: at(10))
        for name in ["b", "c", "d"] { _ = pool.request(name, kind: .shared, now: at(20)) }
        #expect(pool.released(0, now: at(50)) == [.lease(0, to: "b")])
        #expect(pool.statistics.waiting == 2)
        // Each release hands it to the next.
        #expect(pool.released(0, now: at(60)) == [.lease(0, to: "c")])
        #expect(pool.released(0, now: at(70)) == [.lease(0, to: "d")])
    }

    @Test func eventsOutOfSequenceChangeNothing() {
        var pool = machine(max: 1)
        #expect(pool.released(42, now: at(0)) == [])
        #expect(pool.closed(42, now: at(0)) == [])
        #expect(pool.connectionFailed(42, now: at(0)) == [])
        #expect(pool.healthCheckFinished(42, healthy: true, now: at(0)) == [])
        #expect(pool.cancel("nobody") == [])
        #expect(pool.timerFired(now: at(0)) == [])
        // A connection the machine never asked for is closed, not adopted.
        #expect(pool.connectionOpened(42, now: at(0)) == [.close(42)])
        _ = pool.request("a", kind: .exclusive, now: at(0))
        _ = pool.connectionOpened(0, now: at(10))
        #expect(pool.released(0, now: at(20)) == [])
        // Released twice, or failed/pinged while idle: ignored.
        #expect(pool.released(0, now: at(30)) == [])
        #expect(pool.connectionFailed(0, now: at(30)) == [])
        #expect(pool.healthCheckFinished(0, healthy: false, now: at(30)) == [])
        #expect(pool.statistics == .init(open: 1, idle: 1, leased: 0, waiting: 0))
        #expect(pool.request("b", kind: .exclusive, now: at(40)) == [.lease(0, to: "b")])
    }
}

/// Random event sequences against a model of the owner: whatever the order, the machine never
/// exceeds its bounds, never decides a request twice, never lends an exclusive connection to two
/// callers, never has a deadline pending before its armed timer, and after shutdown everything
/// is decided and closed.
@Suite struct PoolStateMachineRandomTests {
    typealias Machine = PoolStateMachine<Int>

    /// SplitMix64: a seeded generator, so a failure replays (sets are sorted before a random
    /// pick, as their order changes from run to run).
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// What the owner knows: opens in flight, connections with their borrowers, pings running.
    struct Owner {
        var opening: Set<Int> = []
        var open: Set<Int> = []
        var borrowers: [Int: [(request: Int, kind: Machine.Kind)]] = [:]
        var pinging: Set<Int> = []
        var parked: Set<Int> = []
        var decided: Set<Int> = []
        var kinds: [Int: Machine.Kind] = [:]
        var problems: [String] = []

        mutating func apply(_ actions: [Machine.Action]) {
            for action in actions {
                switch action {
                case .open(let id):
                    if opening.contains(id) || open.contains(id) { problems.append("open of known \(id)") }
                    opening.insert(id)
                case .lease(let id, let request):
                    decide(request)
                    guard open.contains(id), !pinging.contains(id) else {
                        problems.append("lease of \(id), which is not open and free")
                        continue
                    }
                    let kind = kinds[request] ?? .exclusive
                    let current = borrowers[id, default: []]
                    if kind == .exclusive, !current.isEmpty { problems.append("exclusive lease of busy \(id)") }
                    if current.contains(where: { $0.kind == .exclusive }) { problems.append("\(id) shared with an exclusive lease") }
                    borrowers[id, default: []].append((request, kind))
                case .park(let request):
                    parked.insert(request)
                case .fail(let request, _):
                    decide(request)
                case .close(let id):
                    if !opening.contains(id), !open.contains(id) { problems.append("close of unknown \(id)") }
                    opening.remove(id)
                    open.remove(id)
                    borrowers[id] = nil
                    pinging.remove(id)
                case .healthCheck(let id):
                    if !(borrowers[id] ?? []).isEmpty { problems.append("ping of busy \(id)") }
                    pinging.insert(id)
                case .scheduleTimer, .cancelTimer:
                    break
                }
            }
        }

        mutating func decide(_ request: Int) {
            if decided.contains(request) { problems.append("request \(request) decided twice") }
            decided.insert(request)
            parked.remove(request)
        }
    }

    @Test(arguments: 1...50)
    func randomEventsKeepTheRules(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var configuration = Machine.Configuration()
        configuration.minConnections = Int.random(in: 0...1, using: &random)
        configuration.maxConnections = Int.random(in: 1...3, using: &random)
        configuration.checkoutTimeout = .milliseconds(500)
        configuration.idleTimeout = .milliseconds(300)
        configuration.healthCheckInterval = .milliseconds(200)
        configuration.sharingLimit = 2
        configuration.initialBackoff = .milliseconds(20)
        configuration.maxBackoff = .milliseconds(80)
        var pool = Machine(configuration: configuration)
        var owner = Owner()
        var now = 0
        var nextRequest = 0
        func at(_ milliseconds: Int) -> Duration { .milliseconds(milliseconds) }

        owner.apply(pool.start(now: at(now)))
        for _ in 0..<400 {
            now += Int.random(in: 0...30, using: &random)
            switch Int.random(in: 0..<9, using: &random) {
            case 0, 1:
                let kind: Machine.Kind = Bool.random(using: &random) ? .shared : .exclusive
                owner.kinds[nextRequest] = kind
                owner.apply(pool.request(nextRequest, kind: kind, now: at(now)))
                nextRequest += 1
            case 2:
                guard let id = owner.opening.sorted().randomElement(using: &random) else { continue }
                owner.opening.remove(id)
                if Int.random(in: 0..<4, using: &random) == 0 {
                    owner.apply(pool.connectionFailed(id, now: at(now)))
                } else {
                    owner.open.insert(id)
                    owner.apply(pool.connectionOpened(id, now: at(now)))
                }
            case 3, 4:
                guard let id = owner.borrowers.filter({ !$0.value.isEmpty }).keys.sorted().randomElement(using: &random) else { continue }
                owner.borrowers[id]!.removeFirst()
                if Int.random(in: 0..<8, using: &random) == 0 {
                    // Closed by its borrower: the others sharing it see it closed too.
                    owner.open.remove(id)
                    owner.borrowers[id] = nil
                    owner.apply(pool.closed(id, now: at(now)))
                } else {
                    owner.apply(pool.released(id, now: at(now)))
                }
            case 5:
                guard let id = owner.pinging.sorted().randomElement(using: &random) else { continue }
                owner.pinging.remove(id)
                let healthy = Int.random(in: 0..<4, using: &random) != 0
                owner.apply(pool.healthCheckFinished(id, healthy: healthy, now: at(now)))
            case 6:
                guard let request = owner.parked.sorted().randomElement(using: &random) else { continue }
                owner.apply(pool.cancel(request))
            default:
                owner.apply(pool.timerFired(now: at(now)))
            }
            let statistics = pool.statistics
            if statistics.open > configuration.maxConnections { owner.problems.append("\(statistics.open) open") }
            if statistics.waiting != owner.parked.count {
                owner.problems.append("waiting \(statistics.waiting), parked \(owner.parked.count)")
            }
            for (id, users) in owner.borrowers where users.count > configuration.sharingLimit {
                owner.problems.append("\(id) has \(users.count) users")
            }
            if !pool.timerCoversPendingDeadlines(now: at(now)) { owner.problems.append("a deadline before the armed timer") }
            if !owner.problems.isEmpty { break }
        }

        // Shut down, then let everything in flight come back.
        owner.apply(pool.shutdown())
        for id in owner.opening {
            owner.open.insert(id)
            owner.apply(pool.connectionOpened(id, now: at(now)))
        }
        for id in owner.pinging { owner.apply(pool.healthCheckFinished(id, healthy: true, now: at(now))) }
        for (id, users) in owner.borrowers {
            for _ in users { owner.apply(pool.released(id, now: at(now))) }
        }
        #expect(owner.problems.isEmpty, "seed \(seed): \(owner.problems.prefix(3))")
        #expect(owner.parked.isEmpty, "seed \(seed): still parked \(owner.parked)")
        #expect(owner.decided.count == nextRequest, "seed \(seed)")
        #expect(pool.statistics == .init(open: 0, idle: 0, leased: 0, waiting: 0), "seed \(seed)")
    }
}
