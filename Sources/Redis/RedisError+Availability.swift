extension RedisError {
    /// True when Redis could not be reached or stopped answering: the operation may succeed
    /// later, so an HTTP layer answers 503 rather than 500, and callers that can do without
    /// Redis (a cache read) fall back instead of failing.
    public var isUnavailable: Bool {
        switch self {
        case .connectFailed, .connectionLost, .connectionClosed, .poolClosed, .checkoutTimeout, .timeout: true
        case .server(let message):
            // A server still loading its data set, or a replica cut off from its primary.
            message.hasPrefix("LOADING") || message.hasPrefix("MASTERDOWN") || message.hasPrefix("TRYAGAIN")
        case .unexpectedReply, .invalidURL, .unsupported: false
        }
    }
}
