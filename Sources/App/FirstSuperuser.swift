import API
import Database
import Postgres
import ServerRuntime

/// The template's `init_db`: the account `FIRST_SUPERUSER` / `FIRST_SUPERUSER_PASSWORD` exists
/// as a superuser. Nothing changes when the e-mail is already taken.
public enum FirstSuperuser {
    public enum Outcome: Sendable, Equatable {
        case created(UserRow)
        case alreadyExists(UserRow)
    }

    @discardableResult
    public static func ensure(_ app: AppDependencies, logger: Logger) async throws -> Outcome {
        let email = app.settings.firstSuperuser
        if let existing = try await app.users.find(email: email) {
            logger.info("first superuser already exists", metadata: ["email": "\(email)"])
            return .alreadyExists(existing)
        }
        let hashed = try await app.passwords.hash(app.settings.firstSuperuserPassword)
        do {
            let user = try await app.users.insert(.init(email: email, isActive: true, isSuperuser: true, hashedPassword: hashed))
            logger.info("first superuser created", metadata: ["email": "\(email)", "id": "\(user.id.uuidString.lowercased())"])
            return .created(user)
        } catch UserRepository.Violation.duplicateEmail {
            // Another instance created it at the same moment.
            guard let existing = try await app.users.find(email: email) else { throw UserRepository.Violation.duplicateEmail }
            return .alreadyExists(existing)
        }
    }
}
