import Foundation

/// A value guarded by a lock, for the tests' own shared state: a class, so closures can capture
/// it (the sources use `Synchronization.Mutex`, which is not copyable and cannot be captured).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
