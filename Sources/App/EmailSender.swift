import ServerRuntime

/// One e-mail the app sends.
public struct EmailMessage: Sendable, Hashable {
    public var to: String
    public var subject: String
    public var html: String

    public init(to: String, subject: String, html: String) {
        self.to = to
        self.subject = subject
        self.html = html
    }
}

/// Delivers e-mails (password recovery, test e-mail, new account).
public protocol EmailSender: Sendable {
    func send(_ message: EmailMessage, logger: Logger) async throws
}

/// Writes e-mails to the log instead of sending them: what the server uses when no SMTP server
/// is configured, so the password recovery link can be picked up during development.
public struct LogEmailSender: EmailSender {
    public init() {}

    public func send(_ message: EmailMessage, logger: Logger) async throws {
        logger.notice(
            "e-mail not sent (no SMTP delivery configured); logged instead",
            metadata: ["to": "\(message.to)", "subject": "\(message.subject)", "body": "\(message.html)"])
    }
}
