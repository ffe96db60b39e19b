import COpenSSL

/// bcrypt password hashing through libcrypt, compatible with the hashes
/// passlib, pwdlib and Python's `bcrypt` write (`$2b$`, also `$2a$`, `$2y$`).
///
/// One hash costs about 250 ms of CPU at cost 12. The synchronous methods are
/// for command-line tools and tests; a server calls the `async` overloads,
/// which run on a `WorkerPool` and never on the caller's executor.
public struct PasswordHasher: Sendable {
    public static let defaultCost = 12
    public static let costRange = 4...31
    public static let maximumPasswordLength = 72

    public let cost: Int
    public let pool: WorkerPool
    let dummyHash: String

    public init(cost: Int = PasswordHasher.defaultCost, pool: WorkerPool = .shared) throws(PasswordError) {
        guard Self.costRange.contains(cost) else { throw .costOutOfRange(cost) }
        self.cost = cost
        self.pool = pool
        // Any well-formed hash costs a full bcrypt run to check, so a fixed
        // salt and digest with our cost times exactly like a real user's hash.
        let costText = cost < 10 ? "0\(cost)" : "\(cost)"
        dummyHash = "$2b$\(costText)$siImUQFH8pVF748XLuh4SuSsaoy7GntZzwHYioeABBGQvwpaJb9DC"
    }

    /// A new `$2b$` hash with a random salt.
    public func hash(_ password: String) throws(PasswordError) -> String {
        try Self.validate(password)
        let salt: [UInt8]
        do { salt = try SecureRandom.bytes(count: Bcrypt.saltByteCount) } catch { throw .randomnessUnavailable }
        guard let setting = Bcrypt.setting(cost: cost, randomBytes: salt),
            let hash = Bcrypt.crypt(password, setting: setting)
        else { throw .hashingFailed }
        return hash
    }

    /// Whether `password` matches `hash`. A stored hash that is not bcrypt or
    /// is damaged gives `false`; an unacceptable password throws, as it does
    /// when hashing, so a server rejects it the same way on either path.
    public func verify(_ password: String, against hash: String) throws(PasswordError) -> Bool {
        try Self.validate(password)
        guard Bcrypt.isWellFormed(hash), let computed = Bcrypt.crypt(password, setting: hash) else {
            return false
        }
        return ConstantTime.equal(Array(computed.utf8), Array(hash.utf8))
    }

    /// Spends the time of one verification and discards the result, so that
    /// a login for an unknown user is as slow as one with a wrong password and
    /// response times do not reveal which accounts exist.
    public func verifyDummy() {
        _ = Bcrypt.crypt("timing-equaliser", setting: dummyHash)
    }

    /// Whether a hash that just verified should be replaced: another variant
    /// than `$2b$`, another cost than the configured one, or unreadable.
    public func needsRehash(_ hash: String) -> Bool {
        guard let parsed = Bcrypt.parse(hash) else { return true }
        return parsed.variant != UInt8(ascii: "b") || parsed.cost != cost
    }

    public func hash(_ password: String) async throws(PasswordError) -> String {
        try Self.validate(password)
        return try await pool.run { () throws(PasswordError) -> String in try self.hash(password) }
    }

    public func verify(_ password: String, against hash: String) async throws(PasswordError) -> Bool {
        try Self.validate(password)
        return try await pool.run { () throws(PasswordError) -> Bool in try self.verify(password, against: hash) }
    }

    public func verifyDummy() async {
        await pool.run { self.verifyDummy() }
    }

    private static func validate(_ password: String) throws(PasswordError) {
        let byteCount = password.utf8.count
        guard byteCount <= maximumPasswordLength else {
            throw .passwordTooLong(byteCount: byteCount, limit: maximumPasswordLength)
        }
        guard !password.utf8.contains(0) else { throw .passwordContainsNUL }
    }
}
