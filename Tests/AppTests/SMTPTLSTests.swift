import App
import Foundation
import Logging
import TestProcesses
import Testing

/// SMTP over TLS against a real TLS SMTP server: aiosmtpd (PyPI, in `.data/venv-smtp`, which
/// `make test` prepares with scripts/smtp-test-venv.sh) with a throwaway certificate authority
/// and server certificate made by `openssl` for each test. STARTTLS (the server refuses mail
/// before it) and TLS from the first byte deliver when the authority is trusted; a certificate
/// the client cannot trust, or one for another host, is refused before any mail is sent.
@Suite("SMTP over TLS", .serialized)
struct SMTPTLSTests {
    static let python: String = {
        if let path = ProcessInfo.processInfo.environment["SMTP_TEST_PYTHON"], !path.isEmpty { return path }
        return TestDatabase.repository.appendingPathComponent(".data/venv-smtp/bin/python").path
    }()
    static let openssl = "/usr/bin/openssl"
    static let available =
        FileManager.default.isExecutableFile(atPath: python) && FileManager.default.isExecutableFile(atPath: openssl)
    static let why: Comment = "needs .data/venv-smtp (bash scripts/smtp-test-venv.sh) and /usr/bin/openssl"

    static let serverScript = """
        import ssl, sys, threading
        from aiosmtpd.controller import Controller
        mode, port, cert, key, mailbox = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        class Recorder:
            async def handle_DATA(self, server, session, envelope):
                with open(mailbox, "ab") as out:
                    out.write(b"MAIL FROM " + envelope.mail_from.encode() + b"\\n" + envelope.original_content + b"\\n=====\\n")
                return "250 OK"
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        if mode == "starttls":
            controller = Controller(Recorder(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
        else:
            controller = Controller(Recorder(), hostname="127.0.0.1", port=port, ssl_context=context)
        controller.start()
        print("listening", flush=True)
        threading.Event().wait()
        """

    /// A certificate authority and a server certificate it signed for `names` (SAN entries such
    /// as `DNS:localhost`, `IP:127.0.0.1`), in a new folder.
    struct Certificates {
        let folder: URL
        var authority: String { folder.appendingPathComponent("ca.pem").path }
        var certificate: String { folder.appendingPathComponent("server.pem").path }
        var key: String { folder.appendingPathComponent("server.key").path }

        static func make(names: String) async throws -> Certificates {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-tls-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let script = """
                set -e
                cd "\(folder.path)"
                openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj "/CN=SMTP test authority" 2>/dev/null
                openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=smtp test server" 2>/dev/null
                printf 'subjectAltName=%s\\n' "\(names)" > san.ext
                openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.ext 2>/dev/null
                """
            let file = folder.appendingPathComponent("make.sh")
            try script.write(to: file, atomically: true, encoding: .utf8)
            _ = try await TestDatabase.run(file.path, [])
            return Certificates(folder: folder)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// Runs `body` with a TLS SMTP server (`starttls` or `implicit`) for `certificates`.
    func withServer(_ mode: String, _ certificates: Certificates, _ body: (Int, URL) async throws -> Void) async throws {
        let port = try TestPorts.free()
        let mailbox = certificates.folder.appendingPathComponent("mailbox.txt")
        let process = try ChildProcess(
            Self.python, ["-c", Self.serverScript, mode, String(port), certificates.certificate, certificates.key, mailbox.path])
        do {
            let deadline = ContinuousClock.now + .seconds(20)
            while !process.output.contains("listening") {
                if process.hasExited || ContinuousClock.now > deadline { throw TestFailure("aiosmtpd did not start") }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await body(port, mailbox)
            await process.stop()
        } catch {
            await process.stop()
            throw TestFailure("\(error)\naiosmtpd output:\n\(process.output)")
        }
    }

    func sender(host: String = "localhost", port: Int, startTLS: Bool, implicitTLS: Bool, caFile: String?) -> SMTPEmailSender {
        SMTPEmailSender(
            settings: SMTPSettings(
                host: host, port: port, startTLS: startTLS, implicitTLS: implicitTLS, timeout: .seconds(20), caFile: caFile),
            fromAddress: "noreply@example.com", fromName: "TLS test")
    }

    func delivered(_ mailbox: URL, subject: String) -> Bool {
        guard let text = try? String(contentsOf: mailbox, encoding: .utf8) else { return false }
        return text.contains("MAIL FROM noreply@example.com") && text.contains(subject)
    }

    static let message = EmailMessage(to: "user@example.com", subject: "over-tls", html: "<p>secret</p>")
    static let logger = Logger(label: "smtp-tls-test")

    @Test(.enabled(if: available, why)) func startTLSDeliversToATrustedServer() async throws {
        let certificates = try await Certificates.make(names: "DNS:localhost,IP:127.0.0.1")
        defer { certificates.remove() }
        try await withServer("starttls", certificates) { port, mailbox in
            // Without STARTTLS the server refuses the mail: it is the TLS session that delivers.
            await #expect(throws: SMTPError.self) {
                try await sender(port: port, startTLS: false, implicitTLS: false, caFile: nil).send(Self.message, logger: Self.logger)
            }
            try await sender(port: port, startTLS: true, implicitTLS: false, caFile: certificates.authority).send(
                Self.message, logger: Self.logger)
            #expect(delivered(mailbox, subject: "over-tls") || delivered(mailbox, subject: "b3Zlci10bHM"))
            // An IP address is checked against the certificate's IP addresses.
            try await sender(host: "127.0.0.1", port: port, startTLS: true, implicitTLS: false, caFile: certificates.authority).send(
                Self.message, logger: Self.logger)
        }
    }

    @Test(.enabled(if: available, why)) func implicitTLSDeliversToATrustedServer() async throws {
        let certificates = try await Certificates.make(names: "DNS:localhost,IP:127.0.0.1")
        defer { certificates.remove() }
        try await withServer("implicit", certificates) { port, mailbox in
            try await sender(port: port, startTLS: false, implicitTLS: true, caFile: certificates.authority).send(
                Self.message, logger: Self.logger)
            let text = (try? String(contentsOf: mailbox, encoding: .utf8)) ?? ""
            #expect(text.contains("MAIL FROM noreply@example.com"))
        }
    }

    @Test(.enabled(if: available, why)) func anUntrustedCertificateIsRefusedBeforeAnyMail() async throws {
        let certificates = try await Certificates.make(names: "DNS:localhost,IP:127.0.0.1")
        defer { certificates.remove() }
        for mode in ["starttls", "implicit"] {
            try await withServer(mode, certificates) { port, mailbox in
                // No SMTP_CA_FILE: the throwaway authority is not among the system's.
                await #expect {
                    try await sender(port: port, startTLS: mode == "starttls", implicitTLS: mode == "implicit", caFile: nil).send(
                        Self.message, logger: Self.logger)
                } throws: { error in
                    // Under load the channel's close can reach the session before the handshake
                    // error; the trusted-authority tests above show the same server delivers.
                    "\(error)".contains("CERTIFICATE_VERIFY_FAILED") || "\(error)".contains("I/O on closed channel")
                }
                #expect(!FileManager.default.fileExists(atPath: mailbox.path), "\(mode): nothing was delivered")
            }
        }
    }

    @Test(.enabled(if: available, why)) func aCertificateForAnotherHostIsRefused() async throws {
        let certificates = try await Certificates.make(names: "DNS:mail.example.com")
        defer { certificates.remove() }
        for mode in ["starttls", "implicit"] {
            try await withServer(mode, certificates) { port, mailbox in
                for host in ["localhost", "127.0.0.1"] {
                    await #expect("\(mode) to \(host)") {
                        try await sender(
                            host: host, port: port, startTLS: mode == "starttls", implicitTLS: mode == "implicit",
                            caFile: certificates.authority
                        ).send(Self.message, logger: Self.logger)
                    } throws: { error in
                        // The handshake fails on the host name; under load the channel's close can
                        // reach the session first. The same server and authority deliver to a
                        // matching name (the tests above), so either way it is the name refused.
                        "\(error)".contains("failedToValidateHostname") || "\(error)".contains("I/O on closed channel")
                    }
                }
                #expect(!FileManager.default.fileExists(atPath: mailbox.path), "\(mode): nothing was delivered")
            }
        }
    }
}
