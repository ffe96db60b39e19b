import Foundation
import Testing

@testable import Security

@Suite struct PasswordHasherTests {
    /// Written by Python `bcrypt` 5.0.0: `bcrypt.hashpw(b"s3cret-été", bcrypt.gensalt(4, prefix=...))`.
    static let password2b = "$2b$04$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2W"
    static let password2a = "$2a$04$AzBeO5Sj4qYbB/bAme/jB.yt74wmhbC2Ci6Ar4QZpiyABvUxGuF2K"
    /// The `$2b$` hash with PHP's `$2y$` label; Python `bcrypt.checkpw` accepts it too.
    static let password2y = "$2y$04$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2W"

    let fast = try! PasswordHasher(scheme: .bcrypt, bcryptCost: 4, pool: WorkerPool(threadCount: 2))

    @Test func roundTripAtLowCost() throws {
        let hash = try fast.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$2b$04$"))
        #expect(hash.count == 60)
        #expect(try fast.verify("correct horse battery staple", against: hash))
        #expect(try !fast.verify("correct horse battery stapler", against: hash))
        #expect(try !fast.verify("", against: hash))
    }

    @Test func saltsDiffer() throws {
        #expect(try fast.hash("same") != fast.hash("same"))
    }

    @Test func emptyAndMaximumLengthPasswordsWork() throws {
        let empty = try fast.hash("")
        #expect(try fast.verify("", against: empty))
        let longest = String(repeating: "é", count: 36)  // 72 bytes
        let hash = try fast.hash(longest)
        #expect(try fast.verify(longest, against: hash))
        #expect(try !fast.verify(String(repeating: "é", count: 35) + "e", against: hash))
    }

    @Test func verifiesPythonBcryptHashAtCost12() throws {
        // bcrypt.hashpw(b"correct horse battery staple", bcrypt.gensalt(12)), Python bcrypt 5.0.0.
        let hash = "$2b$12$siImUQFH8pVF748XLuh4SuSsaoy7GntZzwHYioeABBGQvwpaJb9DC"
        #expect(try PasswordHasher(scheme: .bcrypt).verify("correct horse battery staple", against: hash))
    }

    @Test(arguments: [password2b, password2a, password2y])
    func verifiesEveryBcryptVariant(hash: String) throws {
        #expect(try fast.verify("s3cret-été", against: hash))
        #expect(try !fast.verify("s3cret-ete", against: hash))
    }

    /// Fuzz finding (schemathesis ST202): the spec allows 128 characters, bcrypt reads 72 bytes,
    /// and a longer password was refused with a 422. It is now pre-hashed, every byte counting.
    @Test func overlongPasswordIsHashedWhole() throws {
        let password = String(repeating: "a", count: 72) + "b"
        let hash = try fast.hash(password)
        #expect(try fast.verify(password, against: hash))
        // bcrypt alone would read both as their first 72 bytes and take one for the other.
        #expect(try !fast.verify(String(repeating: "a", count: 72) + "c", against: hash))
        #expect(try !fast.verify(String(repeating: "a", count: 72), against: hash))
        // Bytes, not characters: 37 two-byte characters are 74 bytes.
        let accented = String(repeating: "é", count: 37)
        #expect(try fast.verify(accented, against: try fast.hash(accented)))
        #expect(try !fast.verify(String(repeating: "é", count: 36) + "e", against: try fast.hash(accented)))
    }

    @Test func passwordWithNULIsHashedWhole() throws {
        let hash = try fast.hash("abc\u{0}def")
        #expect(try fast.verify("abc\u{0}def", against: hash))
        // A C string would end at the NUL and match "abc".
        #expect(try !fast.verify("abc", against: hash))
        #expect(try !fast.verify("abc\u{0}xyz", against: hash))
    }

    /// Passwords bcrypt takes whole are hashed as they are, so the hashes Python writes verify.
    @Test func shortPasswordsAreNotPreHashed() throws {
        #expect(try PasswordHasher.bcryptInput(String(repeating: "a", count: 72)) == String(repeating: "a", count: 72))
        #expect(try PasswordHasher.bcryptInput(String(repeating: "a", count: 73)).utf8.count == 43)
    }

    @Test(arguments: [
        "", "not a hash", "$2b$04$", "$2b$04$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2",
        "$2b$04$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2WW",
        "$2x$04$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2W",
        "$2b$03$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2W",
        "$2b$32$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2W",
        "$2b$4a$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2W",
        "$2b$04$ttLT1FEXIKhkeiSuhU1nGuJNRKIS2yNb2hgxalPr4Bf7vkdTJHm2!",
        "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",  // md5-crypt: libcrypt knows it, we must not
        "$6$rounds=1000$salt$hash", "ab01FAX.bQRSU",  // sha512-crypt, DES
    ])
    func malformedStoredHashIsFalse(hash: String) throws {
        #expect(try !fast.verify("s3cret-été", against: hash))
    }

    @Test func costIsValidated() {
        #expect(throws: PasswordError.costOutOfRange(3)) { try PasswordHasher(scheme: .bcrypt, bcryptCost: 3) }
        #expect(throws: PasswordError.costOutOfRange(32)) { try PasswordHasher(scheme: .bcrypt, bcryptCost: 32) }
        #expect(throws: Never.self) { try PasswordHasher(scheme: .bcrypt, bcryptCost: 31) }
        #expect(PasswordHasher.defaultBcryptCost == 12)
    }

    @Test func configuredCostIsUsed() throws {
        let hasher = try PasswordHasher(scheme: .bcrypt, bcryptCost: 5)
        #expect(try hasher.hash("x").hasPrefix("$2b$05$"))
    }

    @Test func needsRehash() throws {
        #expect(!fast.needsRehash(Self.password2b))
        #expect(fast.needsRehash(Self.password2a))
        #expect(fast.needsRehash(Self.password2y))
        #expect(try PasswordHasher(scheme: .bcrypt, bcryptCost: 12).needsRehash(Self.password2b))
        #expect(fast.needsRehash("garbage"))
    }

    @Test(arguments: [4, 9, 12, 31])
    func dummyHashIsAWellFormedHashOfTheConfiguredCost(cost: Int) throws {
        let hasher = try PasswordHasher(scheme: .bcrypt, bcryptCost: cost)
        #expect(Bcrypt.parse(hasher.dummyHash)?.cost == cost)
        #expect(!hasher.needsRehash(hasher.dummyHash))
    }

    @Test func dummyVerificationCostsAsMuchAsARealOne() throws {
        // Cost 8 makes one run long enough (~10 ms) to compare; the minimum of
        // several runs shrugs off preemption by other processes.
        let hasher = try PasswordHasher(scheme: .bcrypt, bcryptCost: 8)
        let hash = try hasher.hash("pw")
        #expect(Bcrypt.crypt("timing-equaliser", setting: hasher.dummyHash) != nil)
        let clock = ContinuousClock()
        var real = Duration.seconds(60)
        var dummy = Duration.seconds(60)
        for _ in 0..<5 {
            real = min(real, clock.measure { _ = try? hasher.verify("wrong", against: hash) })
            dummy = min(dummy, clock.measure { hasher.verifyDummy() })
        }
        // Minimum of several runs, with room for a loaded machine; a dummy that skipped bcrypt would be ~0.
        #expect(dummy > real / 4 && dummy < real * 4, "dummy \(dummy) vs real \(real)")
    }

    @Test func asyncHashAndVerify() async throws {
        let hash = try await fast.hash("async password")
        #expect(try await fast.verify("async password", against: hash))
        #expect(try await !fast.verify("other", against: hash))
        await fast.verifyDummy()
        #expect(try await fast.verify("a\u{0}", against: try await fast.hash("a\u{0}")))
    }

    @Test func asyncHashingRespectsThePoolBound() async throws {
        let pool = WorkerPool(threadCount: 2)
        let hasher = try PasswordHasher(scheme: .bcrypt, bcryptCost: 4, pool: pool)
        let hashes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for index in 0..<8 {
                group.addTask { ("pw\(index)", try await hasher.hash("pw\(index)")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(hashes.count == 8)
        for (password, hash) in hashes {
            #expect(try await hasher.verify(password, against: hash))
        }
        #expect(pool.peakActiveCount >= 1 && pool.peakActiveCount <= 2)
        #expect(pool.activeCount == 0)
    }
}
