/// Where and how to hand e-mails to an SMTP server.
public struct SMTPSettings: Sendable {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    /// Upgrade the connection with `STARTTLS` (refusing to send when the server does not offer it).
    public var startTLS: Bool
    /// TLS from the first byte (port 465).
    public var implicitTLS: Bool
    /// How long one delivery may take, connection included.
    public var timeout: Duration

    public init(
        host: String, port: Int = 587, user: String? = nil, password: String? = nil, startTLS: Bool = true,
        implicitTLS: Bool = false, timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.startTLS = startTLS
        self.implicitTLS = implicitTLS
        self.timeout = timeout
    }
}
