/// One entry of the document's `x-websockets`: a path the server upgrades to a WebSocket and
/// the JSON messages it sends there. OpenAPI has no WebSocket operations, so the extension
/// borrows an operation's fields (`summary`, `description`, `operationId`, `tags`,
/// `security`, `deprecated`) and adds `receive`, the schema of each message. Without
/// `security` the document's applies, as it does to an operation.
struct WebSocketChannel: Sendable {
    /// Whether the helper takes the bearer token, and whether it must.
    enum Token: Sendable {
        case unused
        case optional
        case required
    }

    var path: String
    var operationId: String?
    var summary: String?
    var description: String?
    var deprecated: Bool
    /// The name in `components.schemas` of the messages' schema; `nil` for an inline schema,
    /// whose messages are `unknown`.
    var messageComponent: String?
    var token: Token
}
