import Foundation
import Synchronization

/// Work run on another thread while the caller goes on: `specgen diff` loads each document and
/// builds its model on a core of its own, then compares.
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            let value = work()
            result.withLock { $0 = value }
            done.signal()
        }
    }

    /// The work's result, once it is done (waits for it).
    var value: Value {
        done.wait()
        done.signal()
        return result.withLock { $0! }
    }
}
