import App
import Foundation
import Logging
import TestProcesses
import Testing

/// SMTP delivery against a real, independent SMTP server: Python's `smtpd` (Debian's python3),
/// which writes what it receives to a file the test reads back.
@Suite("SMTP", .serialized)
struct SMTPTests {
    static let python = "/usr/bin/python3"
    static let available = FileManager.default.isExecutableFile(atPath: python)

    static let serverScript = """
        import asyncore, sys, warnings
        warnings.simplefilter("ignore")
        import smtpd
        class Recorder(smtpd.SMTPServer):
            def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
                with open(sys.argv[2], "ab") as out:
                    out.write(b"MAIL FROM " + mailfrom.encode() + b"\\nRCPT TO " + ",".join(rcpttos).encode() + b"\\n" + data + b"\\n=====\\n")
        Recorder(("127.0.0.1", int(sys.argv[1])), None, decode_data=False)
        asyncore.loop()
        """

    /// Runs `body` with a recording SMTP server's port and the file it writes.
    func withServer(_ body: (Int, URL) async throws -> Void) async throws {
        let port = try TestPorts.free()
        let mailbox = FileManager.default.temporaryDirectory.appendingPathComponent("mailbox-\(UUID().uuidString.prefix(8)).txt")
        let process = try ChildProcess(Self.python, ["-c", Self.serverScript, String(port), mailbox.path])
        defer { try? FileManager.default.removeItem(at: mailbox) }
        do {
            try await body(port, mailbox)
            await process.stop()
        } catch {
            await process.stop()
            throw TestFailure("\(error)\nsmtpd output:\n\(process.output)")
        }
    }

    func sender(port: Int, startTLS: Bool = false) -> SMTPEmailSender {
        SMTPEmailSender(
            settings: SMTPSettings(host: "127.0.0.1", port: port, startTLS: startTLS, timeout: .seconds(20)),
            fromAddress: "noreply@example.com", fromName: "Full Stack Example Ä")
    }

    /// The first delivery also waits for the server to listen.
    func sendWhenUp(_ sender: SMTPEmailSender, _ message: EmailMessage) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            do {
                try await sender.send(message, logger: Logger(label: "smtp-test"))
                return
            } catch let error as SMTPError where error.step.hasPrefix("connect") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @Test(.enabled(if: available, "needs /usr/bin/python3 (its smtpd module is the SMTP server)"))
    func deliversAnHTMLMessageThatAnSMTPServerAccepts() async throws {
        try await withServer { port, mailbox in
            let html = "<p>Reset your password: <a href=\"http://localhost:5173/reset-password?token=abc\">link</a></p>\n.\nnot the end"
            try await sendWhenUp(
                sender(port: port),
                EmailMessage(to: "user@example.com", subject: "Password recovery for ünïcode\r\nBcc: evil@example.com", html: html))
            let received = try String(contentsOf: mailbox, encoding: .utf8)
            #expect(received.contains("MAIL FROM noreply@example.com"))
            #expect(received.contains("RCPT TO user@example.com"))
            #expect(received.contains("To: user@example.com"))
            #expect(received.contains("From: =?UTF-8?B?"))
            // The CR LF in the subject cannot start a header of its own.
            #expect(!received.contains("\nBcc:"))
            #expect(received.contains("Subject: =?UTF-8?B?"))
            #expect(received.contains("Content-Type: text/html; charset=utf-8"))
            // The body arrives whole, the lone dot included.
            let body =
                received.components(separatedBy: "Content-Transfer-Encoding: base64\n").last?
                .components(separatedBy: "\n=====").first?
                .split(separator: "\n").joined() ?? ""
            let decoded = Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) }
            #expect(decoded == html)
        }
    }

    @Test(.enabled(if: available, "needs /usr/bin/python3 (its smtpd module is the SMTP server)"))
    func refusesToSendInClearWhenSTARTTLSIsRequiredButNotOffered() async throws {
        try await withServer { port, mailbox in
            // Wait for the server with a plain delivery first.
            try await sendWhenUp(sender(port: port), EmailMessage(to: "a@example.com", subject: "warm-up", html: "x"))
            await #expect {
                try await sender(port: port, startTLS: true).send(
                    EmailMessage(to: "a@example.com", subject: "secret", html: "x"), logger: Logger(label: "smtp-test"))
            } throws: { error in
                (error as? SMTPError)?.step == "STARTTLS"
            }
            #expect(!(try String(contentsOf: mailbox, encoding: .utf8)).contains("secret"))
        }
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        await #expect {
            try await sender(port: 1).send(EmailMessage(to: "a@example.com", subject: "s", html: "x"), logger: Logger(label: "smtp-test"))
        } throws: { error in
            "\(error)".hasPrefix("SMTP connect to 127.0.0.1:1 failed")
        }
    }

    @Test func smtpSettingsAreCheckedAndChooseTheSender() throws {
        let settings = try Settings(
            variables: TestApp.variables([
                "SMTP_HOST": "mail.example.com", "SMTP_PORT": "2525", "SMTP_USER": "u", "SMTP_PASSWORD": "p",
                "SMTP_TLS": "false", "EMAILS_FROM_EMAIL": "noreply@example.com",
            ]))
        #expect(settings.smtp.port == 2525)
        #expect(settings.smtp.startTLS == false)
        #expect(AppDependencies.emailSender(for: settings) is SMTPEmailSender)
        #expect(AppDependencies.emailSender(for: try Settings(variables: TestApp.variables())) is LogEmailSender)
        #expect(throws: SettingsError.self) {
            try Settings(variables: TestApp.variables(["SMTP_HOST": "h", "SMTP_SSL": "true", "SMTP_TLS": "true"]))
        }
        #expect(throws: SettingsError.self) {
            try Settings(variables: TestApp.variables(["SMTP_PORT": "0"]))
        }
    }
}
