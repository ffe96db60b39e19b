import Logging
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
    import CMalloc
#endif

/// Gives the heap's free pages back to the system every `interval` (`MEMORY_TRIM_SECONDS`).
///
/// glibc keeps what a burst freed: its per-thread arenas shrink only from their top, so after
/// 1,024 connections on the list route the server held 105 MiB resident with 3 MiB of it in
/// use, and every later burst added more (48, 53, 64 MiB of arena after three runs).
/// `malloc_trim(0)` returns the free pages in every arena (105 → 53 MiB there), once at least
/// `threshold` bytes are free (`mallinfo2`). It runs on NIO's
/// blocking thread pool, never on an event loop, and costs a few milliseconds per call; pages it
/// returns are faulted in again only if a later burst needs them. The peak a burst itself needs
/// is unchanged. Elsewhere than glibc this service does nothing.
struct HeapTrimmer: Service {
    /// Free heap below this stays: a busy server frees and reuses a few MiB between requests,
    /// and trimming those pages only to fault them in again cost it throughput.
    static let threshold = 16 << 20

    let interval: Duration
    let logger: Logger

    func run() async throws {
        #if canImport(Glibc)
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                } catch {
                    return
                }
                if Task.isShuttingDownGracefully { return }
                let clock = ContinuousClock()
                let started = clock.now
                let threshold = Self.threshold
                let freeBytes = try await NIOThreadPool.singleton.runIfActive { () -> Int in
                    let free = Int(mallinfo2().fordblks)
                    if free >= threshold { malloc_trim(0) }
                    return free
                }
                logger.debug(
                    "heap checked",
                    metadata: ["free": "\(freeBytes)", "trimmed": "\(freeBytes >= threshold)", "took": "\(clock.now - started)"])
            }
        #endif
    }
}
