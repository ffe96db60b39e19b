/// Quoting for PostgreSQL identifiers and literals.
///
/// Every identifier the emitter writes is double-quoted, always: table names such as `user`
/// are reserved words, and quoting also keeps the spec's exact spelling (PostgreSQL folds
/// unquoted names to lower case).
enum SQLIdentifier {
    /// PostgreSQL truncates longer names (NAMEDATALEN - 1), which would make two different
    /// names in the spec collide silently in the database.
    static let maxLength = 63

    /// `name` as a quoted identifier: `"user"`, with embedded quotes doubled.
    static func quote(_ name: String) -> String {
        var quoted = "\""
        for character in name {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// `text` as a standard string literal: `'it''s'`. Standard-conforming strings are the
    /// default since PostgreSQL 9.1, so backslashes need no escaping.
    static func literal(_ text: String) -> String {
        var quoted = "'"
        for character in text {
            if character == "'" { quoted += "''" } else { quoted.append(character) }
        }
        return quoted + "'"
    }

    /// Why `name` cannot be a table or column name, or `nil` when it can.
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maxLength {
            return "it is \(name.utf8.count) bytes long and PostgreSQL keeps only \(maxLength)"
        }
        // Names end up in comments of generated files too; a newline there would end the comment.
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains a control character"
        }
        return nil
    }
}
