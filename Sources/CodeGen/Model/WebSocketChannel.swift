import OpenAPI

/// One entry of the document's `x-websockets`: a path the server upgrades to a WebSocket and
/// the JSON messages it sends there. OpenAPI has no WebSocket operations, so the extension
/// borrows an operation's fields (`summary`, `description`, `operationId`, `tags`,
/// `security`, `deprecated`) and adds `receive`, the schema of each message. Without
/// `security` the document's applies, as it does to an operation.
///
/// The model reads the extension once (`WebSocketReader`, its diagnostics among the model's);
/// emitters read these channels and never the document.
public struct WebSocketChannel: Hashable, Sendable {
    /// Whether a client sends the bearer token, and whether it must.
    public enum Token: Hashable, Sendable {
        case unused
        case optional
        case required
    }

    public var path: String
    public var operationId: String?
    public var summary: String?
    public var description: String?
    public var deprecated: Bool
    /// The name in `components.schemas` of the messages' schema; `nil` for an inline schema,
    /// whose messages are any JSON value.
    public var messageComponent: String?
    /// The model's named type for `messageComponent`.
    public var messageType: String?
    public var token: Token
    /// The entry's key in `x-websockets`.
    public var location: SourceLocation
}
