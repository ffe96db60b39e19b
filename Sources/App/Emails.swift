/// The e-mails of the template (`app/email-templates`), as plain HTML.
enum Emails {
    static func resetPassword(settings: Settings, email: String, token: String) -> EmailMessage {
        let project = escape(settings.projectName)
        let link = "\(Settings.trimmingSlash(settings.frontendHost))/reset-password?token=\(token)"
        let hours = settings.emailResetTokenExpireHours
        return EmailMessage(
            to: email,
            subject: "\(settings.projectName) - Password recovery for user \(email)",
            html: """
                <p>\(project) - Password Recovery</p>
                <p>Hello \(escape(email))</p>
                <p>We've received a request to reset your password. You can do it by clicking the link below:</p>
                <p><a href="\(escape(link))">Reset password</a></p>
                <p>The reset password link / button will expire in \(hours) hours.</p>
                <p>If you didn't request a password recovery you can disregard this email.</p>
                """)
    }

    static func test(settings: Settings, email: String) -> EmailMessage {
        EmailMessage(
            to: email,
            subject: "\(settings.projectName) - Test email",
            html: """
                <p>\(escape(settings.projectName))</p>
                <p>Test email for: \(escape(email))</p>
                """)
    }

    /// The template puts the password in this e-mail; this port does not, since the server may
    /// only log e-mails.
    static func newAccount(settings: Settings, email: String) -> EmailMessage {
        let link = Settings.trimmingSlash(settings.frontendHost)
        return EmailMessage(
            to: email,
            subject: "\(settings.projectName) - New account for user \(email)",
            html: """
                <p>\(escape(settings.projectName)) - New Account</p>
                <p>Welcome to your new account!</p>
                <p>Here are your credentials: username \(escape(email)); the password is the one you were given.</p>
                <p><a href="\(escape(link))">Go to Dashboard</a></p>
                """)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
