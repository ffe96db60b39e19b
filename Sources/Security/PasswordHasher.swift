import COpenSSL

/// Password hashing with a scheme for new hashes and every scheme for checks,
/// as pwdlib does for the FastAPI template: argon2id (libargon2, PHC strings,
/// pwdlib's parameters by default) and bcrypt (libcrypt; `$2b$`, also `$2a$`,
/// `$2y$`). A database written by the template (argon2id via pwdlib) or by
/// passlib (bcrypt) verifies as it is; `needsRehash` tells which hashes to
/// replace at the next successful login.
///
/// bcrypt reads at most 72 bytes and stops at a NUL, so a password it cannot
/// take whole (longer, or holding a NUL) is first reduced to the base64url of
/// its HMAC-SHA-256 (43 ASCII bytes): every byte of it then counts, no other
/// password shares its hash by sharing a prefix, and any length the API
/// accepts can be hashed. Passwords bcrypt can take are hashed as they are,
/// so those hashes stay the ones Python writes. argon2 reads any bytes whole.
///
/// One hash costs about 100-250 ms of CPU at the default parameters. The
/// synchronous methods are for command-line tools and tests; a server calls
/// the `async` overloads, which run on a `WorkerPool` and never on the
/// caller's executor.
public struct PasswordHasher: Sendable {
    /// The scheme of new hashes (`PASSWORD_HASH_SCHEME`).
    public enum Scheme: String, Sendable, CaseIterable {
        case argon2id, bcrypt
    }

    public static let defaultBcryptCost = 12
    public static let bcryptCostRange = 4...31
    /// The most bytes bcrypt reads; a longer password is pre-hashed.
    static let bcryptInputLimit = 72
    /// Separates the pre-hash from any other use of HMAC-SHA-256 on a password.
    static let preHashKey = Array("specgen bcrypt pre-hash v1".utf8)

    public let scheme: Scheme
    public let argon2: Argon2Parameters
    public let bcryptCost: Int
    public let pool: WorkerPool
    /// A well-formed hash of the configured scheme and parameters that no
    /// password matches, checked for unknown users.
    let dummyHash: String

    public init(
        scheme: Scheme = .argon2id, argon2: Argon2Parameters = .pwdlib, bcryptCost: Int = PasswordHasher.defaultBcryptCost,
        pool: WorkerPool = .shared
    ) throws(PasswordError) {
        guard Self.bcryptCostRange.contains(bcryptCost) else { throw .costOutOfRange(bcryptCost) }
        if let problem = argon2.problem { throw .argon2ParametersOutOfRange(problem) }
        self.scheme = scheme
        self.argon2 = argon2
        self.bcryptCost = bcryptCost
        self.pool = pool
        // Any well-formed hash costs a full run to check, so a fixed salt and
        // digest with our parameters times exactly like a real user's hash.
        switch scheme {
        case .argon2id:
            dummyHash =
                Argon2.Hash(
                    variant: .argon2id, version: Argon2.currentVersion, parameters: argon2,
                    salt: [UInt8](repeating: 0x5A, count: argon2.saltLength),
                    digest: [UInt8](repeating: 0, count: argon2.hashLength)
                ).encoded
        case .bcrypt:
            let costText = bcryptCost < 10 ? "0\(bcryptCost)" : "\(bcryptCost)"
            dummyHash = "$2b$\(costText)$siImUQFH8pVF748XLuh4SuSsaoy7GntZzwHYioeABBGQvwpaJb9DC"
        }
    }

    /// A new hash of the configured scheme with a random salt.
    public func hash(_ password: String) throws(PasswordError) -> String {
        switch scheme {
        case .argon2id:
            let salt: [UInt8]
            do { salt = try SecureRandom.bytes(count: argon2.saltLength) } catch { throw .randomnessUnavailable }
            guard
                let digest = Argon2.digest(
                    password, salt: salt, variant: .argon2id, version: Argon2.currentVersion, parameters: argon2)
            else { throw .hashingFailed }
            return Argon2.Hash(variant: .argon2id, version: Argon2.currentVersion, parameters: argon2, salt: salt, digest: digest)
                .encoded
        case .bcrypt:
            let input = try Self.bcryptInput(password)
            let salt: [UInt8]
            do { salt = try SecureRandom.bytes(count: Bcrypt.saltByteCount) } catch { throw .randomnessUnavailable }
            guard let setting = Bcrypt.setting(cost: bcryptCost, randomBytes: salt),
                let hash = Bcrypt.crypt(input, setting: setting)
            else { throw .hashingFailed }
            return hash
        }
    }

    /// Whether `password` matches `hash`, of any scheme. A stored hash of no
    /// known scheme, damaged, or with parameters beyond the bounds (see
    /// `Argon2Parameters`) gives `false` without being computed.
    public func verify(_ password: String, against hash: String) throws(PasswordError) -> Bool {
        if hash.hasPrefix("$argon2") {
            guard let parsed = Argon2.Hash(hash) else { return false }
            return Argon2.verify(password, against: parsed)
        }
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
        _ = try? verify("timing-equaliser", against: dummyHash)
    }

    /// Whether a hash that just verified should be replaced: another scheme
    /// than the configured one, or other parameters (pwdlib's and
    /// argon2-cffi's rule; weaker ones above all), or unreadable.
    public func needsRehash(_ hash: String) -> Bool {
        switch scheme {
        case .argon2id:
            guard let parsed = Argon2.Hash(hash) else { return true }
            return parsed.variant != .argon2id || parsed.version != Argon2.currentVersion || parsed.parameters != argon2
        case .bcrypt:
            guard let parsed = Bcrypt.parse(hash) else { return true }
            return parsed.variant != UInt8(ascii: "b") || parsed.cost != bcryptCost
        }
    }

    public func hash(_ password: String) async throws(PasswordError) -> String {
        let memory = scheme == .argon2id ? argon2.memoryKiB : 0
        return try await pool.run(memoryKiB: memory) { () throws(PasswordError) -> String in try self.hash(password) }
    }

    public func verify(_ password: String, against hash: String) async throws(PasswordError) -> Bool {
        try await pool.run(memoryKiB: Self.memoryKiB(toVerify: hash)) { () throws(PasswordError) -> Bool in
            try self.verify(password, against: hash)
        }
    }

    public func verifyDummy() async {
        await pool.run(memoryKiB: Self.memoryKiB(toVerify: dummyHash)) { self.verifyDummy() }
    }

    /// What checking `hash` allocates, for the pool's memory budget: an argon2 hash's `m`
    /// (read from the hash, which may differ from the configured parameters), bcrypt's 4 KiB as 0.
    static func memoryKiB(toVerify hash: String) -> Int {
        guard hash.hasPrefix("$argon2"), let parsed = Argon2.Hash(hash) else { return 0 }
        return parsed.parameters.memoryKiB
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
