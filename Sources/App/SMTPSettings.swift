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
    /// A PEM file of certificate authorities trusted besides the system's (`SMTP_CA_FILE`), for
    /// a relay whose certificate a private authority signed.
    public var caFile: String?

    public init(
        host: String, port: Int = 587, user: String? = nil, password: String? = nil, startTLS: Bool = true,
        implicitTLS: Bool = false, timeout: Duration = .seconds(30), caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.startTLS = startTLS
        self.implicitTLS = implicitTLS
        self.timeout = timeout
        self.caFile = caFile
    }
}
