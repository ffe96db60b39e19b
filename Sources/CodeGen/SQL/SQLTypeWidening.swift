/// Which type changes keep every existing value as it is.
///
/// Those (`varchar(100)` → `varchar(255)`, `varchar` → `text`, `integer` → `bigint`) are
/// generated without asking; any other change can fail on existing rows or cut values and is
/// destructive.
enum SQLTypeWidening {
    enum Verdict: Equatable {
        /// Every old value fits and reads the same.
        case widening
        /// Same kind of value, smaller range: `varchar(255)` → `varchar(100)`, `bigint` → `integer`.
        case narrowing
        /// A different kind of value; PostgreSQL casts it, or fails.
        case conversion
    }

    private enum Kind: Equatable {
        case text(length: Int?)
        case integer(rank: Int)
        case numeric
        case float(rank: Int)
        case other(String)
    }

    static func verdict(from old: String, to new: String) -> Verdict {
        var old = normalised(old)
        var new = normalised(new)
        if old == new { return .widening }
        // Arrays convert element by element.
        let oldIsArray = old.hasSuffix("[]")
        guard oldIsArray == new.hasSuffix("[]") else { return .conversion }
        if oldIsArray {
            old.removeLast(2)
            new.removeLast(2)
        }
        switch (kind(old), kind(new)) {
        case (.text(let from), .text(let to)):
            switch (from, to) {
            case (_, nil): return .widening
            case (nil, _?): return .narrowing
            case (let from?, let to?): return to >= from ? .widening : .narrowing
            }
        case (.integer(let from), .integer(let to)): return to >= from ? .widening : .narrowing
        case (.integer, .numeric): return .widening
        case (.numeric, .integer): return .narrowing
        case (.float(let from), .float(let to)): return to >= from ? .widening : .narrowing
        default: return .conversion
        }
    }

    private static func normalised(_ type: String) -> String {
        SQLFragment.trimmed(type.lowercased()).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    private static func kind(_ type: String) -> Kind {
        switch type {
        case "text": return .text(length: nil)
        case "smallint", "int2": return .integer(rank: 1)
        case "integer", "int", "int4": return .integer(rank: 2)
        case "bigint", "int8": return .integer(rank: 3)
        case "numeric", "decimal": return .numeric
        case "real", "float4": return .float(rank: 1)
        case "double precision", "float8": return .float(rank: 2)
        default: break
        }
        for prefix in ["varchar(", "character varying("] where type.hasPrefix(prefix) && type.hasSuffix(")") {
            let digits = type.dropFirst(prefix.count).dropLast()
            if let length = Int(digits) { return .text(length: length) }
        }
        if type == "varchar" || type == "character varying" { return .text(length: nil) }
        return .other(type)
    }
}
