public import Hummingbird
public import NIOCore

/// The request context `APIApplication` uses: Hummingbird's basics plus the client's address,
/// which reaches services as `OperationContext.clientAddress` (and tracing, which reads it too).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext, Sendable {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
