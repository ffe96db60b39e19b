import App
import Foundation
import HummingbirdTesting
import Security
import ServerRuntime
import Testing

@Suite("Password recovery")
struct PasswordResetTests {
    @Test func recoveryEmailCarriesATokenThatResetsThePassword() async throws {
        try await TestApp.run { app, client in
            try await app.createUser(email: "forgetful@example.com", password: "old-password")
            let recover = try await client.send(.post, "/api/v1/password-recovery/forgetful@example.com")
            #expect(recover.status == .ok)
            #expect(try recover.json["message"] == "Password recovery email sent")

            let sent = await app.emails.sent
            #expect(sent.count == 1)
            let email = try #require(sent.first)
            #expect(email.to == "forgetful@example.com")
            let link = try #require(email.html.range(of: "reset-password?token="))
            let token = String(email.html[link.upperBound...].prefix { $0 != "\"" })

            let reset = try await client.send(
                .post, "/api/v1/reset-password/", json: #"{"token":"\#(token)","new_password":"new-password"}"#)
            #expect(reset.status == .ok)
            #expect(try reset.json["message"] == "Password updated successfully")
            _ = try await app.login(client, email: "forgetful@example.com", password: "new-password")
            let old = try await client.execute(
                uri: "/api/v1/login/access-token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=forgetful%40example.com&password=old-password"))
            #expect(old.status == .badRequest)
        }
    }

    @Test func unknownEmailIs404() async throws {
        try await TestApp.run { app, client in
            let response = try await client.send(.post, "/api/v1/password-recovery/nobody@example.com")
            #expect(response.status == .notFound)
            #expect(response.detail == "The user with this email does not exist in the system.")
            #expect(await app.emails.sent.isEmpty)
        }
    }

    @Test func badResetTokensAre400() async throws {
        try await TestApp.run { app, client in
            let (user, headers) = try await app.userWithToken(client, email: "target@example.com")
            let accessToken = try #require(headers[.authorization]?.dropFirst("Bearer ".count))
            let expired = try TokenCodec(secret: TestApp.secret, clock: { Date().addingTimeInterval(-3 * 86400) })
                .issue(subject: user.email, type: .passwordReset, lifetime: .seconds(3600))
            let forged = try TokenCodec(secret: "not-the-server-secret").issue(
                subject: user.email, type: .passwordReset, lifetime: .seconds(3600))
            for token in ["garbage", String(accessToken), expired, forged] {
                let response = try await client.send(
                    .post, "/api/v1/reset-password/", json: #"{"token":"\#(token)","new_password":"new-password"}"#)
                #expect(response.status == .badRequest)
                #expect(response.detail == "Invalid token")
            }
            // A valid token for an e-mail nobody has (any more).
            let orphan = try app.dependencies.passwordResetToken(for: "gone@example.com")
            let missing = try await client.send(
                .post, "/api/v1/reset-password/", json: #"{"token":"\#(orphan)","new_password":"new-password"}"#)
            #expect(missing.status == .notFound)
            #expect(missing.detail == "The user with this email does not exist in the system.")
            // Inactive users cannot reset.
            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: false))
            let valid = try app.dependencies.passwordResetToken(for: user.email)
            let inactive = try await client.send(
                .post, "/api/v1/reset-password/", json: #"{"token":"\#(valid)","new_password":"new-password"}"#)
            #expect(inactive.status == .badRequest)
            #expect(inactive.detail == "Inactive user")
            // The new password's rules apply at its field.
            let short = try await client.send(.post, "/api/v1/reset-password/", json: #"{"token":"\#(valid)","new_password":"short"}"#)
            #expect(short.status == .unprocessableContent)
            #expect(short.locations == [["body", "new_password"]])
        }
    }

    @Test func htmlContentIsForSuperusers() async throws {
        try await TestApp.run { app, client in
            let superuser = try await app.loginSuperuser(client)
            let response = try await client.send(.post, "/api/v1/password-recovery-html-content/admin@example.com", headers: superuser)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html")
            #expect(response.text.contains("reset-password?token="))
            let unknown = try await client.send(.post, "/api/v1/password-recovery-html-content/nobody@example.com", headers: superuser)
            #expect(unknown.status == .notFound)
            #expect(unknown.detail == "The user with this username does not exist in the system.")
        }
    }
}
