import Foundation

/// An e-mail as SMTP's `DATA` carries it (RFC 5322 with a MIME HTML body).
///
/// The body is base64 in lines of 76, so no line is too long and none starts with a dot
/// (nothing to dot-stuff); a non-ASCII subject or name is an RFC 2047 encoded word. Header
/// values lose CR and LF, so no recipient or subject can inject a header.
enum SMTPMessage {
    static func render(
        _ message: EmailMessage, from address: String, fromName: String?, date: Date = Date(), messageID: String
    ) -> String {
        let from = fromName.map { "\(encodedWord($0)) <\(address)>" } ?? address
        var lines = [
            "From: \(clean(from))",
            "To: \(clean(message.to))",
            "Subject: \(encodedWord(clean(message.subject)))",
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(clean(messageID))>",
            "MIME-Version: 1.0",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let body = Data(message.html.utf8).base64EncodedString()
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 76, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func clean(_ value: String) -> String {
        value.filter { $0 != "\r" && $0 != "\n" }
    }

    static func encodedWord(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
