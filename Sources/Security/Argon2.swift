import CArgon2
import COpenSSL

/// argon2 through libargon2 (the C library argon2-cffi wraps too), and the PHC
/// strings argon2-cffi, pwdlib and passlib write:
/// `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`, both in unpadded standard base64.
///
/// Stored hashes are parsed here, strictly and with every parameter bounded
/// (`Argon2Parameters.problem`), rather than handed to `argon2_verify`, which
/// would allocate whatever `m` a damaged or hostile row claims.
enum Argon2 {
    enum Variant: String, Sendable, CaseIterable {
        case argon2id, argon2i, argon2d

        var type: argon2_type {
            switch self {
            case .argon2id: Argon2_id
            case .argon2i: Argon2_i
            case .argon2d: Argon2_d
            }
        }
    }

    /// `v=19` (0x13), the only version written since 2016; `v=16` (0x10) still verifies.
    static let currentVersion = 19
    static let versions = [19, 16]
    /// Longer than any hash within the bounds: a stored value beyond it is not
    /// even split.
    static let maximumEncodedLength = 512

    /// A parsed PHC string.
    struct Hash: Sendable, Equatable {
        var variant: Variant
        var version: Int
        var parameters: Argon2Parameters
        var salt: [UInt8]
        var digest: [UInt8]

        /// The hash in `encoded`, or nil when it is not an argon2 PHC string
        /// within the bounds. Only the form libargon2 and argon2-cffi write is
        /// read: `m`, `t`, `p` in that order, no `keyid` or `data`.
        init?(_ encoded: String) {
            guard encoded.utf8.count <= Argon2.maximumEncodedLength else { return nil }
            let fields = encoded.utf8.split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0].isEmpty,
                let variant = Variant(rawValue: String(decoding: fields[1], as: UTF8.self)),
                let version = Self.value(fields[2], named: "v"), Argon2.versions.contains(version)
            else { return nil }
            let costs = fields[3].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard costs.count == 3,
                let memory = Self.value(costs[0], named: "m"),
                let time = Self.value(costs[1], named: "t"),
                let lanes = Self.value(costs[2], named: "p"),
                let salt = UnpaddedBase64.standard.decode(String(decoding: fields[4], as: UTF8.self)),
                let digest = UnpaddedBase64.standard.decode(String(decoding: fields[5], as: UTF8.self))
            else { return nil }
            let parameters = Argon2Parameters(
                timeCost: time, memoryKiB: memory, parallelism: lanes, hashLength: digest.count, saltLength: salt.count)
            guard parameters.problem == nil else { return nil }
            self.variant = variant
            self.version = version
            self.parameters = parameters
            self.salt = salt
            self.digest = digest
        }

        init(variant: Variant, version: Int, parameters: Argon2Parameters, salt: [UInt8], digest: [UInt8]) {
            self.variant = variant
            self.version = version
            self.parameters = parameters
            self.salt = salt
            self.digest = digest
        }

        /// The PHC string, byte for byte as argon2-cffi writes it.
        var encoded: String {
            "$\(variant.rawValue)$v=\(version)$m=\(parameters.memoryKiB),t=\(parameters.timeCost),p=\(parameters.parallelism)$"
                + UnpaddedBase64.standard.encode(salt) + "$" + UnpaddedBase64.standard.encode(digest)
        }

        /// `name=digits`, at most 10 digits without a leading zero: enough for
        /// any 32-bit value, and one spelling per number.
        private static func value(_ field: Substring.UTF8View, named name: Character) -> Int? {
            let bytes = Array(field)
            guard bytes.count >= 3, bytes.count <= 12, bytes[0] == name.asciiValue, bytes[1] == UInt8(ascii: "=") else {
                return nil
            }
            let digits = bytes[2...]
            guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                digits.count == 1 || digits.first != UInt8(ascii: "0")
            else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
    }

    /// The raw argon2 digest of `password`; nil when libargon2 refuses (out of
    /// memory, or parameters it rejects).
    static func digest(
        _ password: String, salt: [UInt8], variant: Variant, version: Int, parameters: Argon2Parameters
    ) -> [UInt8]? {
        guard parameters.problem == nil, salt.count == parameters.saltLength else { return nil }
        var output = [UInt8](repeating: 0, count: parameters.hashLength)
        // argon2 reads bytes with a length: a NUL or a long password is hashed whole, as Python does.
        let password = Array(password.utf8)
        let status = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBytes { saltBytes in
                output.withUnsafeMutableBytes { outputBytes in
                    argon2_hash(
                        UInt32(parameters.timeCost), UInt32(parameters.memoryKiB), UInt32(parameters.parallelism),
                        passwordBytes.baseAddress, passwordBytes.count, saltBytes.baseAddress, saltBytes.count,
                        outputBytes.baseAddress, outputBytes.count, nil, 0, variant.type,
                        (version == 16 ? ARGON2_VERSION_10 : ARGON2_VERSION_13).rawValue)
                }
            }
        }
        guard status == ARGON2_OK.rawValue else { return nil }
        return output
    }

    /// Whether `password` gives `hash`'s digest, compared in constant time.
    static func verify(_ password: String, against hash: Hash) -> Bool {
        guard
            let computed = digest(
                password, salt: hash.salt, variant: hash.variant, version: hash.version, parameters: hash.parameters)
        else { return false }
        return ConstantTime.equal(computed, hash.digest)
    }
}
