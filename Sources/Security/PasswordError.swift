/// Why a password could not be hashed or checked: the machine's fault, never
/// the password's (any password can be hashed; see `PasswordHasher`).
public enum PasswordError: Error, Sendable, Hashable {
    /// bcrypt costs run from 4 to 31 (2^cost rounds).
    case costOutOfRange(Int)
    case randomnessUnavailable
    /// libcrypt refused to hash; should not happen with a valid setting.
    case hashingFailed
}
