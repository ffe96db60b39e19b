import Foundation
import Synchronization

/// What a `PostgresEventLoop` tells when a watched socket is ready.
protocol SocketWatcher: AnyObject, Sendable {
    /// Called on the loop's thread. `token` is the registration that fired:
    /// a watcher that has re-registered since ignores an older one.
    func socketReady(token: UInt64, readable: Bool, writable: Bool)
}

/// A thread that sleeps in `poll` on the sockets of many libpq connections
/// and tells each connection when its socket is ready.
///
/// Why not NIO's own event loops: libpq owns its socket and must do every
/// read and write itself (`PQconsumeInput`, `PQflush`), while NIO only
/// registers descriptors it reads and writes itself (`withConnectedSocket`,
/// `takingOwnershipOfDescriptor`); NIO has no public way to be told a foreign
/// descriptor is ready. So a few loops of our own, shared by every connection
/// of the process (one per core, not one per connection), do just that and
/// nothing else: the connection sends from the caller's task without any
/// hand-off, and the loop reads, parses and resumes the caller, one thread
/// hop per round trip instead of two. Measured on a 2-core machine (release
/// builds, wrk -t2, 10 pooled connections, same PostgreSQL and Redis) against
/// the thread per connection this replaces: uncached item read 2,625 vs 2,201
/// req/s at 64 connections and 2,699 vs 2,001 at 256; the uncached server's
/// peak RSS 54-65 MB vs 79-85 MB and 9 threads vs 17. (The list route stayed
/// at ~700 req/s either way: its limit is in the server's row decoding and
/// JSON encoding, not here; pgbench runs its SQL at 5,746/s.)
///
/// `poll` rather than epoll: a loop watches a pool's worth of sockets (tens),
/// where rebuilding the array when the set changes costs nothing, it works the
/// same on Linux and macOS, and it needs no packed-struct tricks. Interest
/// changes (a connection waiting to write, a connect in progress) are rare and
/// wake the loop through a pipe.
///
/// The registrations are guarded by `state`; the poll array is the loop
/// thread's own.
final class PostgresEventLoop: Sendable {
    /// The loops every connection of the process shares, one per core.
    static let shared: [PostgresEventLoop] = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map {
        PostgresEventLoop(name: "postgres-io-\($0)")
    }
    private static let nextLoop = Atomic<Int>(0)

    /// The loop a new connection lives on, round robin.
    static func next() -> PostgresEventLoop {
        let index = nextLoop.wrappingAdd(1, ordering: .relaxed).oldValue
        return shared[index % shared.count]
    }

    private struct Registration {
        var descriptor: Int32
        var events: Int16
        weak var watcher: (any SocketWatcher)?
    }

    private struct State {
        var registrations: [UInt64: Registration] = [:]
        var nextToken: UInt64 = 0
        /// The registrations changed since the loop last built its poll array.
        var changed = true
        /// A byte is in the wake pipe (or about to be): later wakes write none.
        var wakePending = false
    }

    private let state = Mutex(State())

    private let wakeReader: Int32
    private let wakeWriter: Int32

    private init(name: String) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { fatalError("PostgresEventLoop: pipe() failed (errno \(errno))") }
        wakeReader = descriptors[0]
        wakeWriter = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        let thread = Thread { [self] in
            Self.nameKernelThread(name)
            self.run()
        }
        thread.name = name
        // The loop only parses results and resumes tasks: a small stack is plenty.
        thread.stackSize = 512 << 10
        thread.start()
    }

    /// Foundation's `Thread.name` stays inside Foundation on Linux, and Glibc's
    /// `pthread_setname_np` needs `_GNU_SOURCE`, which Swift's Glibc module is
    /// not built with; the thread's own `comm` file is the same call. The
    /// kernel's name is what `top -H`, `perf` and the tests see.
    private static func nameKernelThread(_ name: String) {
        #if os(Linux)
            let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return }
            let bytes = Array(name.utf8.prefix(15))  // the kernel keeps 15 bytes
            _ = write(descriptor, bytes, bytes.count)
            close(descriptor)
        #else
            pthread_setname_np(name)
        #endif
    }

    /// Starts watching `descriptor`; returns the token later calls name it by.
    func register(_ descriptor: Int32, reading: Bool, writing: Bool, watcher: any SocketWatcher) -> UInt64 {
        let token = state.withLock { state in
            state.nextToken += 1
            state.registrations[state.nextToken] = Registration(
                descriptor: descriptor, events: Self.events(reading: reading, writing: writing), watcher: watcher)
            state.changed = true
            return state.nextToken
        }
        wake()
        return token
    }

    /// Changes what the loop waits for on a registered socket.
    func update(_ token: UInt64, reading: Bool, writing: Bool) {
        let events = Self.events(reading: reading, writing: writing)
        let wasChanged = state.withLock { state in
            guard state.registrations[token] != nil, state.registrations[token]!.events != events else { return false }
            state.registrations[token]!.events = events
            state.changed = true
            return true
        }
        if wasChanged { wake() }
    }

    /// Stops watching. Call it before the descriptor is closed, so the loop
    /// never polls a number the process may hand to another file.
    func remove(_ token: UInt64) {
        let removed = state.withLock { state in
            guard state.registrations.removeValue(forKey: token) != nil else { return false }
            state.changed = true
            return true
        }
        if removed { wake() }
    }

    private static func events(reading: Bool, writing: Bool) -> Int16 {
        (reading ? Int16(POLLIN) : 0) | (writing ? Int16(POLLOUT) : 0)
    }

    /// Interrupts a `poll` in progress so the loop picks up new interest.
    /// One byte in the pipe is enough however many changes come before the
    /// loop runs again.
    private func wake() {
        let needed = state.withLock { state in
            if state.wakePending { return false }
            state.wakePending = true
            return true
        }
        guard needed else { return }
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    private func run() {
        var descriptors: [pollfd] = []
        var tokens: [UInt64] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            state.withLock { state in
                guard state.changed else { return }
                state.changed = false
                descriptors = [pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)]
                tokens = [0]
                for (token, registration) in state.registrations where registration.events != 0 {
                    descriptors.append(pollfd(fd: registration.descriptor, events: registration.events, revents: 0))
                    tokens.append(token)
                }
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 { continue }  // EINTR
            if descriptors[0].revents != 0 {
                // Drain first, then clear: cleared first, a wake() in between set the flag and
                // wrote a byte this drain then swallowed, leaving the flag set with the pipe
                // empty, so every later wake() was skipped and new interest (a connect waiting
                // to write) went unpolled until some other socket fired (a 10 s connect timeout
                // seen once in eight full test runs). A wake() after the drain and before the
                // clear writes nothing, but its change is already marked and is picked up at
                // the top of the loop.
                while read(wakeReader, &buffer, buffer.count) > 0 {}
                state.withLock { $0.wakePending = false }
            }
            for index in 1..<descriptors.count where descriptors[index].revents != 0 {
                let revents = descriptors[index].revents
                descriptors[index].revents = 0
                let token = tokens[index]
                let watcher = state.withLock { state -> (any SocketWatcher)? in
                    guard let registration = state.registrations[token] else { return nil }
                    guard let watcher = registration.watcher else {
                        // The connection went away without deregistering.
                        state.registrations[token] = nil
                        state.changed = true
                        return nil
                    }
                    return watcher
                }
                // An error or hang-up counts as both: the watcher's next libpq
                // call finds out what happened.
                let failed = revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0
                watcher?.socketReady(
                    token: token, readable: failed || revents & Int16(POLLIN) != 0,
                    writable: failed || revents & Int16(POLLOUT) != 0)
            }
        }
    }
}
