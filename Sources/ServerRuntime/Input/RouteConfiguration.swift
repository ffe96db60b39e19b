/// Settings generated routes read on every request.
public struct RouteConfiguration: Sendable {
    /// Largest request body accepted, in bytes; a larger one answers 413
    /// `{"detail":"Request body too large"}`.
    public var maxBodySize: Int

    public init(maxBodySize: Int = 1 << 20) {
        self.maxBodySize = maxBodySize
    }
}
