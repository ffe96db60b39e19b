import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ports for servers the tests start (private PostgreSQL and Redis clusters, server processes,
/// SMTP peers).
///
/// Below Linux's ephemeral range (32768–60999): a port picked inside it can be taken at any
/// moment by one of the run's own outgoing connections, and a server that then fails to bind
/// was the cause of flaky failures (and, with a reaping bug, of hangs). Each port is handed out
/// once per test process, and only after a bind shows it free.
public enum TestPorts {
    private static let handedOut = Mutex<Set<Int>>([])

    /// `count` consecutive free ports; the first is returned.
    public static func free(count: Int = 1) throws -> Int {
        for _ in 0..<200 {
            let first = Int.random(in: 20_000..<(32_000 - count))
            let ports = Set(first..<first + count)
            let claimed = handedOut.withLock { taken in
                guard taken.isDisjoint(with: ports) else { return false }
                taken.formUnion(ports)
                return true
            }
            guard claimed else { continue }
            if ports.allSatisfy(canBind) { return first }
        }
        throw ChildProcess.SpawnFailed(description: "no \(count) free consecutive ports in 20000..<32000")
    }

    private static func canBind(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
