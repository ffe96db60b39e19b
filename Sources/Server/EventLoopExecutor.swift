import CExecutor
import NIOCore
import NIOPosix

/// Swift Concurrency's global executor on NIO's singleton event loops, the way SwiftNIO's
/// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()` does it, with one
/// difference that matters: a job runs on the *generic* executor (as on the default global
/// executor), not as the event loop's serial executor.
///
/// NIO runs each job with `runSynchronously(on: loop.asUnownedSerialExecutor())`, so the runtime
/// believes the task is isolated to the loop; the next call into a nonisolated async function
/// (which wants the generic executor) then never matches, and every such call is enqueued on
/// the loop again instead of continuing on the thread. Measured on the health route (release,
/// wrk -c64): `swift_task_switch` and its enqueues took 13% of the server's CPU against 1.4% in
/// the bare Hummingbird handler. Run as generic, such calls continue inline.
///
/// Jobs go to the loop the enqueueing thread runs (a request's task stays on the loop that reads
/// its socket, which the Redis client and the PostgreSQL results rely on), or the next one from
/// any other thread.
enum EventLoopExecutor {
    /// Installs the hook; false (and nothing changed) when another one was installed first.
    static func install() -> Bool {
        _ = MultiThreadedEventLoopGroup.singleton  // started before the first job arrives
        return cexecutor_install { job in
            let address = UInt(bitPattern: job)
            MultiThreadedEventLoopGroup.singleton.any().execute {
                cexecutor_run_generic(UnsafeMutableRawPointer(bitPattern: address)!)
            }
        } == 1
    }
}
