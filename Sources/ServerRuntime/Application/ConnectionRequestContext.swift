public import NIOCore

/// A request context that knows the connection its request arrived on, so that
/// `GatedResponder` can run the requests of a few connections in the connection's own task
/// (`InlineConnections`).
public protocol ConnectionRequestContext {
    var connection: any Channel { get }
}
