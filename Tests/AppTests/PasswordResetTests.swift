import App
import Database
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
            #expect(try recover.json["message"] == "If that email is registered, we sent a password recovery link")

            // Delivered after the answer (see recoveryTakesAsLongForUnknownAddresses).
            let sent = await app.emails.waitForSent(count: 1)
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

    /// The template's answer and no 404: whether an address has an account is not for anyone
    /// who asks to learn.
    @Test func unknownAndKnownAddressesGetTheSameAnswer() async throws {
        try await TestApp.run { app, client in
            try await app.createUser(email: "known@example.com")
            let known = try await client.send(.post, "/api/v1/password-recovery/known@example.com")
            let unknown = try await client.send(.post, "/api/v1/password-recovery/nobody@example.com")
            let malformed = try await client.send(.post, "/api/v1/password-recovery/not-an-address")
            for response in [known, unknown, malformed] {
                #expect(response.status == .ok)
                #expect(response.text == #"{"message":"If that email is registered, we sent a password recovery link"}"#)
                #expect(response.headers[.contentType] == known.headers[.contentType])
                #expect(response.headers[.contentLength] == known.headers[.contentLength])
            }
            // Only the known address gets mail.
            #expect(await app.emails.waitForSent(count: 1).map(\.to) == ["known@example.com"])
            try await Task.sleep(for: .milliseconds(200))
            #expect(await app.emails.sent.count == 1)
        }
    }

    /// Delivery is off the request path: with an SMTP server that takes two seconds, the
    /// known address answers as fast as an unknown one, and both without waiting for it. (Two
    /// seconds, not less: the bounds are fractions of it, and the whole suite shares two cores.)
    @Test func recoveryTakesAsLongForUnknownAddresses() async throws {
        let delivery = Duration.seconds(2)
        try await TestApp.run(emails: RecordingEmailSender(delay: delivery)) { app, client in
            try await app.createUser(email: "known@example.com")
            let clock = ContinuousClock()
            var known: [Duration] = []
            var unknown: [Duration] = []
            // Alternating, so a slow moment of the machine falls on both.
            for index in 0..<12 {
                var start = clock.now
                #expect(try await client.send(.post, "/api/v1/password-recovery/known@example.com").status == .ok)
                known.append(clock.now - start)
                start = clock.now
                #expect(try await client.send(.post, "/api/v1/password-recovery/nobody\(index)@example.com").status == .ok)
                unknown.append(clock.now - start)
            }
            let knownMedian = known.sorted()[known.count / 2]
            let unknownMedian = unknown.sorted()[unknown.count / 2]
            #expect(knownMedian < delivery / 2, "known \(knownMedian)")
            let gap = max(knownMedian, unknownMedian) - min(knownMedian, unknownMedian)
            #expect(gap < delivery / 5, "known \(knownMedian), unknown \(unknownMedian)")
            // Every e-mail still goes out.
            #expect(await app.emails.waitForSent(count: 12, timeout: .seconds(30)).count == 12)
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
            // A valid token for an e-mail nobody has: the answer to any bad token.
            let orphan = try app.dependencies.passwordResetToken(for: "gone@example.com")
            let missing = try await client.send(
                .post, "/api/v1/reset-password/", json: #"{"token":"\#(orphan)","new_password":"new-password"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.text == #"{"detail":"Invalid token"}"#)
            // Inactive users cannot reset, and the link does not say why.
            _ = try await app.dependencies.users.update(id: user.id, .init(isActive: false))
            let valid = try app.dependencies.passwordResetToken(for: user.email)
            let inactive = try await client.send(
                .post, "/api/v1/reset-password/", json: #"{"token":"\#(valid)","new_password":"new-password"}"#)
            #expect(inactive.status == .badRequest)
            #expect(inactive.text == #"{"detail":"Invalid token"}"#)
            // The new password's rules apply at its field.
            let short = try await client.send(.post, "/api/v1/reset-password/", json: #"{"token":"\#(valid)","new_password":"short"}"#)
            #expect(short.status == .unprocessableContent)
            #expect(short.locations == [["body", "new_password"]])
        }
    }

    /// A link mailed before its user was deleted: 400 "Invalid token", not 404.
    @Test func resetForADeletedUserIsAnInvalidToken() async throws {
        try await TestApp.run { app, client in
            let user = try await app.createUser(email: "leaving@example.com")
            #expect(try await client.send(.post, "/api/v1/password-recovery/leaving@example.com").status == .ok)
            let email = try #require(await app.emails.waitForSent(count: 1).first)
            let link = try #require(email.html.range(of: "reset-password?token="))
            let token = String(email.html[link.upperBound...].prefix { $0 != "\"" })
            #expect(try await app.dependencies.users.delete(id: user.id))

            let reset = try await client.send(
                .post, "/api/v1/reset-password/", json: #"{"token":"\#(token)","new_password":"new-password"}"#)
            #expect(reset.status == .badRequest)
            #expect(reset.text == #"{"detail":"Invalid token"}"#)
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
