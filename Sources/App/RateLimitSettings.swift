/// The rate limits, counted in Redis so they hold across every instance.
///
/// Two limits: login attempts, per client address and per username (`RATE_LIMIT_LOGIN` per
/// window, 5 by default, so guessing a password is slow whichever of the two an attacker
/// varies); and every request per client address (`RATE_LIMIT_REQUESTS` per window, 600), the
/// health probes and the docs excepted. When Redis cannot be reached, `RATE_LIMIT_FAIL_OPEN`
/// (true by default) lets requests through rather than taking the API down with the cache.
public struct RateLimitSettings: Sendable {
    /// `RATE_LIMIT_ENABLED`.
    public var enabled: Bool
    public var loginPerWindow: Int
    public var perWindow: Int
    /// `RATE_LIMIT_WINDOW_SECONDS` (60).
    public var window: Duration
    public var failOpen: Bool

    public init(enabled: Bool = true, loginPerWindow: Int = 5, perWindow: Int = 600, window: Duration = .seconds(60), failOpen: Bool = true)
    {
        self.enabled = enabled
        self.loginPerWindow = loginPerWindow
        self.perWindow = perWindow
        self.window = window
        self.failOpen = failOpen
    }
}
