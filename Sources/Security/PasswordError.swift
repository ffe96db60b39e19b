/// Why a password could not be hashed or checked: the machine's fault or the
/// configuration's, never the password's (any password can be hashed; see
/// `PasswordHasher`).
public enum PasswordError: Error, Sendable, Hashable {
    /// bcrypt costs run from 4 to 31 (2^cost rounds).
    case costOutOfRange(Int)
    /// Configured argon2 parameters outside `Argon2Parameters`' bounds.
    case argon2ParametersOutOfRange(String)
    case randomnessUnavailable
    /// libcrypt or libargon2 refused to hash; should not happen with valid parameters.
    case hashingFailed
}
