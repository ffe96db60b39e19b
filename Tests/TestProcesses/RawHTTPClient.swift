import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection to a server on loopback, driven byte by byte: for what an HTTP client
/// library hides (pipelined requests, a hang-up in the middle of a request, reading to EOF).
public struct RawHTTPClient: Sendable {
    let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; a read waits at most `timeout` for the next bytes.
    public init(port: Int, timeout: Duration = .seconds(10)) throws {
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Self.closeDescriptor(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    /// Sends all of `text` (one write: several requests in it arrive pipelined).
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw POSIXError(.EIO) }
            sent += count
        }
    }

    /// Everything the server sends until it closes the connection; throws when a read waits
    /// longer than the timeout (the server neither answered nor closed). The blocking reads run
    /// on a thread of their own: on Swift Concurrency's pool they would hold one of its few
    /// threads, which an in-process server under test may need to answer.
    public func receiveUntilClosed() async throws -> [UInt8] {
        let descriptor = descriptor
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.readUntilClosed(descriptor) })
            }
        }
    }

    private static func readUntilClosed(_ descriptor: Int32) throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 { return received }
            guard count > 0 else { throw POSIXError(.ETIMEDOUT) }
            received += chunk[..<count]
        }
    }

    public func close() {
        Self.closeDescriptor(descriptor)
    }

    private static func closeDescriptor(_ descriptor: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
