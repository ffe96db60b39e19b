import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServerRuntime

/// Hands e-mails to an SMTP server (the template's `SMTP_*` settings): one connection per
/// message, `EHLO`, `STARTTLS` or TLS from the start when configured, `AUTH PLAIN` when a user
/// is set, then `MAIL FROM`, `RCPT TO`, `DATA`. Non-blocking (NIO); the whole delivery is bounded
/// by the settings' timeout. A server that refuses a step is an `SMTPError` naming the step and
/// the server's reply, which the route turns into a 500 with the reason logged.
public struct SMTPEmailSender: EmailSender {
    let settings: SMTPSettings
    let fromAddress: String
    let fromName: String?

    public init(settings: SMTPSettings, fromAddress: String, fromName: String?) {
        self.settings = settings
        self.fromAddress = fromAddress
        self.fromName = fromName
    }

    public func send(_ message: EmailMessage, logger: Logger) async throws {
        let settings = self.settings
        let data = SMTPMessage.render(
            message, from: fromAddress, fromName: fromName,
            messageID: "\(UUID().uuidString.lowercased())@\(fromAddress.split(separator: "@").last ?? "localhost")")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await deliver(data, to: message.to, settings: settings)
            }
            group.addTask {
                try await Task.sleep(for: settings.timeout)
                throw SMTPError(step: "delivery", reply: "no answer within \(settings.timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
        logger.info("e-mail sent", metadata: ["to": "\(message.to)", "subject": "\(message.subject)"])
    }

    private func deliver(_ data: String, to recipient: String, settings: SMTPSettings) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(try Self.tlsHandler(settings))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(step: "connect to \(settings.host):\(settings.port)", reply: "\(error)")
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect("greeting", [220])
            var features = try await session.command("EHLO \(Self.clientName)", step: "EHLO", [250])
            if settings.startTLS && !settings.implicitTLS {
                guard features.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw SMTPError(step: "STARTTLS", reply: "the server does not offer STARTTLS (set SMTP_TLS=false to send in clear)")
                }
                try await session.command("STARTTLS", step: "STARTTLS", [220])
                // Made and added on the channel's event loop: NIOSSLHandler is not Sendable, so it
                // must not cross from this task into the pipeline.
                let underlying = channel.channel
                try await underlying.eventLoop.submit {
                    try underlying.pipeline.syncOperations.addHandler(try Self.tlsHandler(settings), position: .first)
                }.get()
                features = try await session.command("EHLO \(Self.clientName)", step: "EHLO after STARTTLS", [250])
            }
            if let user = settings.user {
                let credentials = Data(([0] + Array(user.utf8) + [0] + Array((settings.password ?? "").utf8))).base64EncodedString()
                try await session.command("AUTH PLAIN \(credentials)", step: "AUTH", [235])
            }
            try await session.command("MAIL FROM:<\(SMTPMessage.clean(fromAddress))>", step: "MAIL FROM", [250])
            try await session.command("RCPT TO:<\(SMTPMessage.clean(recipient))>", step: "RCPT TO", [250, 251])
            try await session.command("DATA", step: "DATA", [354])
            try await session.command(data + ".", step: "message", [250])
            _ = try? await session.command("QUIT", step: "QUIT", [221])
        }
    }

    static let clientName = ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName

    /// Full verification: the chain must lead to a trusted authority (the system's, or
    /// `SMTP_CA_FILE`'s) and the certificate must name the host (for an IP address, NIOSSL checks
    /// the certificate's IP addresses instead).
    static func tlsHandler(_ settings: SMTPSettings) throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile { configuration.additionalTrustRoots = [.file(caFile)] }
        let context = try NIOSSLContext(configuration: configuration)
        let host = settings.host
        return try NIOSSLClientHandler(context: context, serverHostname: host.first?.isNumber == true ? nil : host)
    }
}

/// A step of an SMTP delivery that failed, with the server's answer.
public struct SMTPError: Error, CustomStringConvertible {
    public var step: String
    public var reply: String
    public var description: String { "SMTP \(step) failed: \(reply)" }
}

/// Reads SMTP replies (possibly multi-line, `250-...` then `250 ...`) and writes commands.
struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var pending: [UInt8] = []

    /// Sends `line` and checks the reply's code; the reply's text lines.
    @discardableResult
    mutating func command(_ line: String, step: String, _ codes: Set<Int>) async throws -> [String] {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await expect(step, codes)
    }

    @discardableResult
    mutating func expect(_ step: String, _ codes: Set<Int>) async throws -> [String] {
        var texts: [String] = []
        while true {
            let line = try await readLine(step)
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw SMTPError(step: step, reply: "not an SMTP reply: \(line.prefix(200))")
            }
            texts.append(String(line.dropFirst(4)))
            let more = line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-"
            if more { continue }
            guard codes.contains(code) else { throw SMTPError(step: step, reply: line) }
            return texts
        }
    }

    private mutating func readLine(_ step: String) async throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < 64 * 1024 else { throw SMTPError(step: step, reply: "a reply line longer than 64 KiB") }
            guard let buffer = try await inbound.next() else {
                throw SMTPError(step: step, reply: "the server closed the connection")
            }
            pending.append(contentsOf: buffer.readableBytesView)
        }
    }
}
