import COpenSSL

/// bcrypt password hashing through libcrypt, compatible with the hashes
/// passlib, pwdlib and Python's `bcrypt` write (`$2b$`, also `$2a$`, `$2y$`).
///
/// bcrypt reads at most 72 bytes and stops at a NUL, so a password it cannot
/// take whole (longer, or holding a NUL) is first reduced to the base64url of
/// its HMAC-SHA-256 (43 ASCII bytes): every byte of it then counts, no other
/// password shares its hash by sharing a prefix, and any length the API
/// accepts can be hashed. Passwords bcrypt can take are hashed as they are,
/// so those hashes stay the ones Python writes.
///
/// One hash costs about 250 ms of CPU at cost 12. The synchronous methods are
/// for command-line tools and tests; a server calls the `async` overloads,
/// which run on a `WorkerPool` and never on the caller's executor.
public struct PasswordHasher: Sendable {
    public static let defaultCost = 12
    public static let costRange = 4...31
    /// The most bytes bcrypt reads; a longer password is pre-hashed.
    static let bcryptInputLimit = 72
    /// Separates the pre-hash from any other use of HMAC-SHA-256 on a password.
    static let preHashKey = Array("specgen bcrypt pre-hash v1".utf8)

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
        let input = try Self.bcryptInput(password)
        let salt: [UInt8]
        do { salt = try SecureRandom.bytes(count: Bcrypt.saltByteCount) } catch { throw .randomnessUnavailable }
        guard let setting = Bcrypt.setting(cost: cost, randomBytes: salt),
            let hash = Bcrypt.crypt(input, setting: setting)
        else { throw .hashingFailed }
        return hash
    }

    /// Whether `password` matches `hash`. A stored hash that is not bcrypt or
    /// is damaged gives `false`.
    public func verify(_ password: String, against hash: String) throws(PasswordError) -> Bool {
        let input = try Self.bcryptInput(password)
        guard Bcrypt.isWellFormed(hash), let computed = Bcrypt.crypt(input, setting: hash) else {
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
        try await pool.run { () throws(PasswordError) -> String in try self.hash(password) }
    }

    public func verify(_ password: String, against hash: String) async throws(PasswordError) -> Bool {
        try await pool.run { () throws(PasswordError) -> Bool in try self.verify(password, against: hash) }
    }

    public func verifyDummy() async {
        await pool.run { self.verifyDummy() }
    }

    /// What bcrypt is given for `password`: the password itself when bcrypt
    /// reads all of it, otherwise its pre-hash.
    static func bcryptInput(_ password: String) throws(PasswordError) -> String {
        let bytes = password.utf8
        if bytes.count <= bcryptInputLimit, !bytes.contains(0) { return password }
        guard let mac = HMACSHA256.authenticate(bytes, key: preHashKey) else { throw .hashingFailed }
        return Base64URL.encode(mac)
    }
}
