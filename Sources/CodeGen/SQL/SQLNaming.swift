/// The names of the constraints and indexes the emitter creates.
///
/// They follow PostgreSQL's own defaults (`item_pkey`, `item_owner_id_fkey`, ...) so a
/// database built from these files reads like one built by hand, and they are derived from
/// table and column names only: the lock file need not store them, and a migration can drop
/// what an earlier one created by computing the same name again.
enum SQLNaming {
    static func primaryKey(table: String) -> String { fit(table + "_pkey") }
    static func unique(table: String, column: String) -> String { fit("\(table)_\(column)_key") }
    static func foreignKey(table: String, column: String) -> String { fit("\(table)_\(column)_fkey") }
    static func check(table: String, column: String) -> String { fit("\(table)_\(column)_check") }
    static func index(table: String, columns: [String]) -> String {
        fit((["ix", table] + columns).joined(separator: "_"))
    }

    /// `name`, or when it is longer than PostgreSQL keeps, a prefix plus a hash of the whole:
    /// truncation alone could make two long names equal.
    static func fit(_ name: String) -> String {
        guard name.utf8.count > SQLIdentifier.maxLength else { return name }
        let suffix = "_" + hexHash(name)
        var prefix = ""
        for character in name {
            if prefix.utf8.count + character.utf8.count + suffix.utf8.count > SQLIdentifier.maxLength { break }
            prefix.append(character)
        }
        return prefix + suffix
    }

    /// FNV-1a, 32 bits, as 8 hex digits: stable across runs and platforms, unlike `Hasher`.
    static func hexHash(_ text: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
