import Security
import ServerRuntime

/// What bcrypt can take, checked where a password enters: 72 bytes of UTF-8 at most and no NUL.
/// The spec allows up to 128 characters, so a longer password passes the generated validation
/// and is refused here with the same 422 shape, at the field that carried it.
public enum PasswordRules {
    public static let maximumBytes = PasswordHasher.maximumPasswordLength

    /// Why `password` cannot be hashed, or nil when it can.
    public static func problem(_ password: String) -> String? {
        let bytes = password.utf8.count
        if bytes > maximumBytes {
            return "must be at most \(maximumBytes) bytes long in UTF-8 (bcrypt's limit), got \(bytes)"
        }
        if password.utf8.contains(0) { return "must not contain a NUL character" }
        return nil
    }

    /// Throws FastAPI's 422 body with `loc` at the field (`["body", "password"]`) when
    /// `password` cannot be hashed.
    public static func check(_ password: String, at location: ValidationPath) throws(ValidationErrors) {
        guard let problem = problem(password) else { return }
        let message = "Value error, Password \(problem)"
        throw ValidationErrors([
            ValidationError(
                type: "value_error", loc: location.segments, msg: message, input: .string(password),
                ctx: ["error": .string("Password \(problem)")])
        ])
    }
}
