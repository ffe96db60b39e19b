/// The cost of an argon2 hash: what a PHC string's `m`, `t` and `p` say, plus
/// the lengths of its salt and digest.
///
/// The bounds are checked on every stored hash before libargon2 sees it: the
/// parameters come from the database, and a hash claiming `m=4194304000`
/// (4 TiB) must be refused, not allocated.
public struct Argon2Parameters: Sendable, Hashable, CustomStringConvertible {
    /// `t`: passes over the memory.
    public var timeCost: Int
    /// `m`: memory in KiB.
    public var memoryKiB: Int
    /// `p`: lanes, each filled by its own thread in libargon2.
    public var parallelism: Int
    public var hashLength: Int
    public var saltLength: Int

    public init(timeCost: Int, memoryKiB: Int, parallelism: Int, hashLength: Int = 32, saltLength: Int = 16) {
        self.timeCost = timeCost
        self.memoryKiB = memoryKiB
        self.parallelism = parallelism
        self.hashLength = hashLength
        self.saltLength = saltLength
    }

    /// pwdlib's `Argon2Hasher()`, which is argon2-cffi's `PasswordHasher()`
    /// (RFC 9106's low-memory profile): what the FastAPI template writes, so a
    /// database taken over from it needs no rehash.
    public static let pwdlib = Argon2Parameters(timeCost: 3, memoryKiB: 65_536, parallelism: 4, hashLength: 32, saltLength: 16)

    /// 2 GiB: argon2-cffi's largest profile (RFC 9106's first recommendation,
    /// t=1, m=2 GiB) still verifies; anything bigger is refused unallocated.
    public static let memoryKiBLimit = 2 * 1024 * 1024
    /// Passes times memory, in KiB: bounds the time one stored hash can take
    /// (libsodium's `SENSITIVE` 1 GiB × 4 passes is the most it allows).
    public static let workLimit = 4 * 1024 * 1024
    public static let timeCostRange = 1...64
    /// libargon2 starts a thread per lane; beyond 64 a hash would be a thread storm.
    public static let parallelismRange = 1...64
    /// argon2's minimum salt is 8 bytes; PHC strings keep salts short.
    public static let saltLengthRange = 8...64
    /// argon2's minimum output is 4 bytes.
    public static let hashLengthRange = 4...128

    /// Why these parameters cannot be used, or nil when they can.
    public var problem: String? {
        if !Self.timeCostRange.contains(timeCost) { return "t=\(timeCost) is outside \(Self.timeCostRange)" }
        if !Self.parallelismRange.contains(parallelism) { return "p=\(parallelism) is outside \(Self.parallelismRange)" }
        // argon2 needs 8 KiB per lane at least.
        if memoryKiB < 8 * parallelism { return "m=\(memoryKiB) is below 8 KiB per lane (p=\(parallelism))" }
        if memoryKiB > Self.memoryKiBLimit { return "m=\(memoryKiB) is above \(Self.memoryKiBLimit) KiB" }
        if memoryKiB * timeCost > Self.workLimit { return "m×t=\(memoryKiB * timeCost) is above \(Self.workLimit)" }
        if !Self.saltLengthRange.contains(saltLength) { return "a \(saltLength)-byte salt is outside \(Self.saltLengthRange)" }
        if !Self.hashLengthRange.contains(hashLength) { return "a \(hashLength)-byte hash is outside \(Self.hashLengthRange)" }
        return nil
    }

    public var description: String {
        "m=\(memoryKiB),t=\(timeCost),p=\(parallelism) (\(saltLength)-byte salt, \(hashLength)-byte hash)"
    }
}
