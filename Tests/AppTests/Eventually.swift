/// Polls `condition` every 20 ms until it holds, for up to 30 s: what other tasks, threads or
/// processes do is awaited, never assumed done after a fixed sleep.
func eventually(_ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<1500 {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
