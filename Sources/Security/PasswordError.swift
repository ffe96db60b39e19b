/// Why a password could not be hashed or checked. The input cases are the
/// user's fault (a server answers 422); the others are the machine's.
public enum PasswordError: Error, Sendable, Hashable {
    /// bcrypt reads at most 72 bytes; refusing longer passwords beats hashing
    /// a silently truncated one that a different 73rd byte would also match.
    case passwordTooLong(byteCount: Int, limit: Int)
    /// C strings end at NUL, so everything after it would be ignored.
    case passwordContainsNUL
    /// bcrypt costs run from 4 to 31 (2^cost rounds).
    case costOutOfRange(Int)
    case randomnessUnavailable
    /// libcrypt refused to hash; should not happen with a valid setting.
    case hashingFailed
}
