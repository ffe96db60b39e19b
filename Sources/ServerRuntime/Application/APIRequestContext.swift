public import Hummingbird
public import NIOCore

/// The request context `APIApplication` uses: Hummingbird's basics plus the request's connection,
/// whose client address reaches services as `OperationContext.clientAddress` (and tracing, which
/// reads it too), and which `GatedResponder` uses to run a few connections' requests in their
/// own task (`InlineConnections`).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext, ConnectionRequestContext, Sendable {
    public var coreContext: CoreRequestContextStorage
    public let connection: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.connection = source.channel
    }

    /// Read when asked: NIO keeps a connection's addresses once it is open.
    public var remoteAddress: SocketAddress? { connection.remoteAddress }
}
