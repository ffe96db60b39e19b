/// Spelling rules for TypeScript source: property keys, string and number literals, and the
/// identifiers the emitters declare. Kept in one place so `schema.ts` and `client.ts` agree.
enum TypeScriptNames {
    /// Words that cannot be a bare identifier (a variable, parameter or type name) in strict
    /// mode ES modules, plus TypeScript's predefined type names. Property keys and class
    /// methods may still use them (`delete: operations["deleteItem"]`, `async delete()`).
    static let reservedWords: Set<String> = [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
        "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
        "while", "with", "implements", "interface", "let", "package", "private", "protected", "public", "static",
        "yield", "await", "arguments", "eval", "any", "boolean", "never", "number", "object", "string", "symbol",
        "unknown", "undefined", "bigint", "type", "as", "is", "keyof", "infer", "readonly", "declare", "module",
        "namespace", "require", "global", "asserts", "unique", "abstract", "accessor", "satisfies", "out",
    ]

    /// Method names a generated class cannot take for an operation: `constructor` would become
    /// the constructor, `setToken` is the client's own method.
    static let reservedMethodNames: Set<String> = ["constructor", "setToken", "prototype", "__proto__"]

    /// `^[A-Za-z_$][A-Za-z_$0-9]*$`, the test openapi-typescript uses to leave a key unquoted.
    static func isIdentifier(_ text: String) -> Bool {
        var first = true
        for byte in text.utf8 {
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x24
            let isDigit = byte >= 0x30 && byte <= 0x39
            if first ? !isLetter : !(isLetter || isDigit) { return false }
            first = false
        }
        return !first
    }

    /// A bare identifier for `name`: reserved words get a trailing `_`.
    static func safeIdentifier(_ name: String) -> String {
        reservedWords.contains(name) ? name + "_" : name
    }

    /// The key of an object type member as openapi-typescript prints it: canonical
    /// non-negative numbers as numbers (`200`), identifiers bare, anything else quoted.
    static func propertyKey(_ key: String) -> String {
        if isCanonicalNumber(key) { return key }
        if isIdentifier(key) { return key }
        return stringLiteral(key)
    }

    /// True when JavaScript's `String(Number(key)) === key` and the key has no sign: such
    /// keys print as numeric literals. Only the forms whose canonical spelling is certain
    /// are accepted (integers without leading zeros, short decimals without trailing zeros).
    static func isCanonicalNumber(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, first != 0x2D else { return false }
        var digitsBeforePoint = 0
        var index = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            digitsBeforePoint += 1
            index += 1
        }
        guard digitsBeforePoint > 0, digitsBeforePoint <= 15 else { return false }
        if digitsBeforePoint > 1 && bytes[0] == 0x30 { return false }
        if index == bytes.count { return true }
        guard bytes[index] == 0x2E else { return false }
        index += 1
        let fractionStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        let fractionDigits = index - fractionStart
        return index == bytes.count && fractionDigits > 0 && digitsBeforePoint + fractionDigits <= 15
            && bytes[index - 1] != 0x30
    }

    /// A double-quoted string literal, escaped as `JSON.stringify` does (plus U+2028/U+2029,
    /// which older parsers reject inside string literals).
    static func stringLiteral(_ text: String) -> String {
        var output = ""
        appendStringLiteral(text, to: &output)
        return output
    }

    static func appendStringLiteral(_ text: String, to output: inout String) {
        output.append("\"")
        var needsEscaping = false
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 {
            needsEscaping = true
            break
        }
        guard needsEscaping else {
            output.append(text)
            output.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case "\u{2028}": output.append("\\u2028")
            case "\u{2029}": output.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }

    /// A number as JavaScript's `String(number)` spells it: integral values without a
    /// fraction, exponents from 1e21 up and below 1e-6.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        if value == value.rounded(), abs(value) < 1e21 {
            if abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        }
        var text = "\(value)"
        // Swift writes `1e-07` and `1e+21`; JavaScript writes `1e-7` and `1e+21`.
        if let exponent = text.firstIndex(of: "e") {
            var mantissa = String(text[..<exponent])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            var power = String(text[text.index(after: exponent)...])
            var sign = "+"
            if power.hasPrefix("-") || power.hasPrefix("+") {
                sign = power.hasPrefix("-") ? "-" : "+"
                power.removeFirst()
            }
            while power.count > 1 && power.hasPrefix("0") { power.removeFirst() }
            text = mantissa + "e" + sign + power
        }
        return text
    }

    /// `base`, or `base2`, `base3`, … when taken; records the result as taken.
    static func unique(_ base: String, in taken: inout Set<String>) -> String { Naming.unique(base, in: &taken) }
}
