import Foundation
import PasswordHashFixtures
import Testing

@testable import Security

/// argon2id through libargon2, against hashes Python wrote (argon2-cffi, pwdlib, passlib), and
/// what a damaged or hostile stored hash does: false, no crash, nothing huge allocated.
@Suite struct Argon2Tests {
    /// Small parameters keep the round trips cheap; the Python hashes carry their own.
    static let cheap = Argon2Parameters(timeCost: 1, memoryKiB: 256, parallelism: 1)
    let fast = try! PasswordHasher(scheme: .argon2id, argon2: Argon2Tests.cheap, pool: WorkerPool(threadCount: 2))
    /// Every scheme verifies, whichever writes new hashes.
    let bcryptWriter = try! PasswordHasher(scheme: .bcrypt, bcryptCost: 4, pool: WorkerPool(threadCount: 2))

    @Test(arguments: PythonPasswordHashes.all)
    func verifiesWhatPythonWrote(fixture: PythonPasswordHash) throws {
        for hasher in [fast, bcryptWriter] {
            #expect(try hasher.verify(fixture.password, against: fixture.hash))
            #expect(try !hasher.verify(fixture.password + "x", against: fixture.hash))
            #expect(try !hasher.verify(String(fixture.password.dropLast()), against: fixture.hash))
        }
    }

    @Test func newHashesHavePwdlibsFormAndParameters() throws {
        let hasher = try PasswordHasher()
        #expect(hasher.scheme == .argon2id)
        #expect(hasher.argon2 == Argon2Parameters(timeCost: 3, memoryKiB: 65_536, parallelism: 4, hashLength: 32, saltLength: 16))
        let hash = try hasher.hash("changethis")
        // The prefix the template's hashes have, a 16-byte salt (22 characters) and a 32-byte hash (43).
        let template = PythonPasswordHashes.templateArgon2id.hash
        #expect(hash.hasPrefix("$argon2id$v=19$m=65536,t=3,p=4$"))
        #expect(hash.split(separator: "$").map(\.count) == template.split(separator: "$").map(\.count))
        #expect(try hasher.verify("changethis", against: hash))
        #expect(!hasher.needsRehash(hash))
        #expect(!hasher.needsRehash(template))
    }

    @Test func roundTripWithEveryKindOfPassword() throws {
        for password in ["", "correct horse battery staple", "s3cret-été", "abc\u{0}def", String(repeating: "é", count: 100)] {
            let hash = try fast.hash(password)
            #expect(hash.hasPrefix("$argon2id$v=19$m=256,t=1,p=1$"))
            #expect(try fast.verify(password, against: hash))
            #expect(try !fast.verify(password + "!", against: hash))
        }
        // A NUL ends nothing: the bytes after it count.
        #expect(try !fast.verify("abc", against: try fast.hash("abc\u{0}def")))
        #expect(try fast.hash("same") != fast.hash("same"))
    }

    @Test func encodingRoundTripsPythonsStrings() throws {
        for fixture in PythonPasswordHashes.all where fixture.hash.hasPrefix("$argon2") {
            let parsed = try #require(Argon2.Hash(fixture.hash), "\(fixture.name)")
            #expect(parsed.encoded == fixture.hash)
        }
        let short = try #require(Argon2.Hash(PythonPasswordHashes.argon2CFFIShort.hash))
        #expect(short.parameters == Argon2Parameters(timeCost: 2, memoryKiB: 256, parallelism: 2, hashLength: 16, saltLength: 8))
    }

    /// pwdlib's rule: the configured scheme and exactly the configured parameters, else rehash.
    @Test func needsRehash() throws {
        let pwdlib = try PasswordHasher()
        #expect(!pwdlib.needsRehash(PythonPasswordHashes.templateArgon2id.hash))
        #expect(!pwdlib.needsRehash(PythonPasswordHashes.passlibArgon2.hash))
        let others = [
            PythonPasswordHashes.argon2CFFITiny, PythonPasswordHashes.argon2CFFIShort, PythonPasswordHashes.argon2CFFIArgon2i,
            PythonPasswordHashes.argon2CFFIArgon2d, PythonPasswordHashes.argon2CFFIVersion16, PythonPasswordHashes.passlibBcrypt,
            PythonPasswordHashes.pwdlibBcrypt, PythonPasswordHashes.passlibBcrypt2a,
        ]
        for weaker in others {
            #expect(pwdlib.needsRehash(weaker.hash), "\(weaker.name)")
        }
        #expect(pwdlib.needsRehash("garbage"))
        // Stronger than configured is "other" too: the configuration decides, both ways.
        #expect(fast.needsRehash(PythonPasswordHashes.templateArgon2id.hash))
        // Writing bcrypt: every argon2 hash is replaced, bcrypt of the configured cost is kept.
        let bcrypt12 = try PasswordHasher(scheme: .bcrypt)
        #expect(bcrypt12.needsRehash(PythonPasswordHashes.templateArgon2id.hash))
        #expect(!bcrypt12.needsRehash(PythonPasswordHashes.passlibBcrypt.hash))
        #expect(bcrypt12.needsRehash(PythonPasswordHashes.passlibBcrypt2a.hash))
    }

    /// Damaged stored hashes: tampered parameters, truncated or re-alphabeted salts, stray fields.
    static let damagedHashes: [String] = {
        let template = PythonPasswordHashes.templateArgon2id.hash
        var hashes: [String] = []
        hashes += ["$argon2id$", "$argon2id$v=19$m=65536,t=3,p=4$", "$argon2id$v=19$m=65536,t=3,p=4$$"]
        hashes.append(template.replacingOccurrences(of: "m=65536", with: "m=65535"))  // tampered parameters
        hashes.append(template.replacingOccurrences(of: "t=3", with: "t=2"))
        hashes.append(template.replacingOccurrences(of: "p=4", with: "p=2"))
        hashes.append(template.replacingOccurrences(of: "$argon2id$", with: "$argon2i$"))
        hashes.append(template.replacingOccurrences(of: "v=19", with: "v=18"))
        hashes.append(template.replacingOccurrences(of: "v=19", with: "v=016"))
        hashes.append(template.replacingOccurrences(of: "m=65536", with: "m=065536"))
        hashes.append(template.replacingOccurrences(of: "m=65536", with: "m=-1"))
        hashes.append(template.replacingOccurrences(of: "m=65536", with: "m= 65536"))
        hashes.append(template.replacingOccurrences(of: "m=65536,t=3,p=4", with: "t=3,m=65536,p=4"))
        hashes.append(template.replacingOccurrences(of: "m=65536,t=3,p=4", with: "m=65536,t=3"))
        hashes.append(template.replacingOccurrences(of: "m=65536,t=3,p=4", with: "m=65536,t=3,p=4,keyid=abc"))
        hashes.append(template.replacingOccurrences(of: "v=19$", with: ""))  // no version field
        hashes.append(template.replacingOccurrences(of: "m=65536", with: "m=99999999999999999999"))  // beyond any integer
        hashes.append(editingSalt(template) { $0.dropLast(1) })  // 21 characters: a salt of 15 bytes and 6 stray bits
        hashes.append(editingSalt(template) { $0.dropLast(2) })  // 20 characters: 15 bytes, a salt that never was
        hashes.append(editingSalt(template) { $0.dropLast(12) })  // 10 characters: 7 bytes, below argon2's 8
        hashes.append(editingSalt(template) { "-" + $0.dropFirst() })  // base64url is not PHC's alphabet
        hashes.append(editingSalt(template) { $0 + "==" })  // padding
        hashes.append(String(template.dropLast()))  // truncated hash
        hashes.append(String(template.dropLast(40)))  // 3 characters: 2 bytes, below argon2's 4
        hashes.append(template + "=")  // padding
        hashes.append(template.replacingOccurrences(of: "$", with: "$$"))
        hashes.append(String(template.dropFirst()))
        hashes.append(template + "$extra")
        hashes.append("$argon2id$v=19$m=65536,t=3,p=4$" + String(repeating: "A", count: 600) + "$AAAA")  // far too long
        return hashes
    }()

    /// Each is false, none crashes.
    @Test(arguments: damagedHashes)
    func damagedHashIsFalse(hash: String) throws {
        #expect(try !fast.verify("changethis", against: hash))
        #expect(fast.needsRehash(hash))
    }

    /// `hash` with its salt's base64 changed by `edit`.
    static func editingSalt(_ hash: String, _ edit: (Substring) -> Substring) -> String {
        var fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        fields[4] = edit(fields[4])
        return fields.joined(separator: "$")
    }

    /// Parameters from the database are bounded before libargon2 allocates anything: 4 TiB,
    /// or a work factor that would take minutes, is refused at once, not attempted.
    @Test(arguments: [
        "m=4194304000,t=3,p=4",  // 3.9 TiB
        "m=4294967295,t=1,p=1",  // UInt32.max KiB
        "m=2097153,t=1,p=4",  // just over 2 GiB
        "m=1048576,t=5,p=4",  // 1 GiB × 5 passes
        "m=65536,t=65,p=4",  // too many passes
        "m=65536,t=0,p=4",
        "m=65536,t=3,p=0",
        "m=65536,t=3,p=65",  // a thread storm
        "m=16,t=3,p=4",  // below 8 KiB per lane, which libargon2 refuses
    ])
    func outOfBoundsParametersAreRefusedBeforeAllocating(parameters: String) throws {
        let hostile = PythonPasswordHashes.templateArgon2id.hash.replacingOccurrences(of: "m=65536,t=3,p=4", with: parameters)
        // Refused by the parser, which `verify` consults before computing anything: no clock
        // bound, which a machine busy with the rest of the suite could break.
        #expect(Argon2.Hash(hostile) == nil)
        #expect(try !fast.verify("changethis", against: hostile))
    }

    @Test func boundsAcceptTheLargestProfiles() {
        // RFC 9106's first recommendation (argon2-cffi's HIGH_MEMORY) and libsodium's SENSITIVE.
        #expect(Argon2Parameters(timeCost: 1, memoryKiB: 2_097_152, parallelism: 4).problem == nil)
        #expect(Argon2Parameters(timeCost: 4, memoryKiB: 1_048_576, parallelism: 1).problem == nil)
        #expect(Argon2Parameters.pwdlib.problem == nil)
        #expect(Argon2Parameters(timeCost: 1, memoryKiB: 2_097_153, parallelism: 4).problem != nil)
    }

    @Test func configuredParametersAreValidated() {
        #expect(throws: PasswordError.self) {
            try PasswordHasher(argon2: Argon2Parameters(timeCost: 0, memoryKiB: 65_536, parallelism: 4))
        }
        #expect(throws: PasswordError.self) {
            try PasswordHasher(argon2: Argon2Parameters(timeCost: 3, memoryKiB: 4_194_304_000, parallelism: 4))
        }
        #expect(throws: PasswordError.self) {
            try PasswordHasher(argon2: Argon2Parameters(timeCost: 3, memoryKiB: 65_536, parallelism: 4, saltLength: 4))
        }
    }

    @Test func dummyHashIsAWellFormedHashOfTheConfiguredParameters() throws {
        for hasher in [fast, try PasswordHasher()] {
            let parsed = try #require(Argon2.Hash(hasher.dummyHash))
            #expect(parsed.parameters == hasher.argon2)
            #expect(!hasher.needsRehash(hasher.dummyHash))
        }
    }

    @Test func dummyVerificationCostsAsMuchAsARealOne() throws {
        // 16 MiB and 2 passes: long enough (~20 ms) to compare; the minimum of several runs
        // shrugs off preemption by other processes.
        let hasher = try PasswordHasher(argon2: Argon2Parameters(timeCost: 2, memoryKiB: 16_384, parallelism: 1))
        let hash = try hasher.hash("pw")
        let clock = ContinuousClock()
        var real = Duration.seconds(60)
        var dummy = Duration.seconds(60)
        for _ in 0..<5 {
            real = min(real, clock.measure { _ = try? hasher.verify("wrong", against: hash) })
            dummy = min(dummy, clock.measure { hasher.verifyDummy() })
        }
        #expect(dummy > real / 4 && dummy < real * 4, "dummy \(dummy) vs real \(real)")
    }

    @Test func asyncHashAndVerifyRunOnThePool() async throws {
        let hash = try await fast.hash("async password")
        #expect(try await fast.verify("async password", against: hash))
        #expect(try await !fast.verify("other", against: hash))
        await fast.verifyDummy()
    }

    @Test func concurrentHashesStayWithinThePoolsMemoryBudget() async throws {
        let pool = WorkerPool(threadCount: 2, memoryBudgetKiB: Argon2Tests.cheap.memoryKiB)
        let hasher = try PasswordHasher(scheme: .argon2id, argon2: Argon2Tests.cheap, pool: pool)
        let hashes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for index in 0..<4 {
                group.addTask { ("pw\(index)", try await hasher.hash("pw\(index)")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for (password, hash) in hashes {
            #expect(try await hasher.verify(password, against: hash))
        }
        #expect(pool.peakActiveCount == 1)
        #expect(pool.peakMemoryKiB == Argon2Tests.cheap.memoryKiB)
    }

    @Test func whatAVerificationDeclaresComesFromTheStoredHash() {
        #expect(PasswordHasher.memoryKiB(toVerify: PythonPasswordHashes.templateArgon2id.hash) == 65_536)
        #expect(PasswordHasher.memoryKiB(toVerify: "$2b$04$siImUQFH8pVF748XLuh4SuSsaoy7GntZzwHYioeABBGQvwpaJb9DC") == 0)
        // Refused unallocated, so nothing to reserve.
        #expect(PasswordHasher.memoryKiB(toVerify: "$argon2id$v=19$m=4194304000,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$AAAA") == 0)
        #expect(PasswordHasher.memoryKiB(toVerify: "not a hash") == 0)
    }
}
