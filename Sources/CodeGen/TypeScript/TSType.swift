/// A TypeScript type as openapi-typescript builds it with `ts.factory`, small enough to print
/// by hand. The constructors (`union`, `intersection`, `nullable`) apply openapi-typescript's
/// rules (one member collapses, primitives are deduplicated) so printed text matches it.
indirect enum TSType: Sendable {
    case keyword(Keyword)
    /// A string literal type, printed double-quoted.
    case stringLiteral(String)
    /// A numeric literal type, already spelled (`-1`, `1.5`).
    case numberLiteral(String)
    case booleanLiteral(Bool)
    case null
    /// A type name with optional type arguments: `Record<string, never>`, `Omit<X, "kind">`.
    case reference(String, [TSType])
    /// `components["schemas"]["Item"]`: a root name indexed by string keys.
    case indexed(String, [String])
    case array(TSType)
    /// `[A, B]`, or with a rest element `[A, ...B[]]`.
    case tuple([TSType])
    /// A tuple element that may be left off: `B?`.
    case optionalElement(TSType)
    /// A tuple's rest element: `...B[]` (the type given is `B`).
    case restElement(TSType)
    case union([TSType])
    case intersection([TSType])
    case object([TSMember])
    /// Text printed as is, for the client's hand-written type expressions.
    case raw(String)

    enum Keyword: String, Sendable {
        case string, number, boolean, unknown, never, undefined
    }

    static let string = TSType.keyword(.string)
    static let number = TSType.keyword(.number)
    static let boolean = TSType.keyword(.boolean)
    static let unknown = TSType.keyword(.unknown)
    static let never = TSType.keyword(.never)
    static let undefined = TSType.keyword(.undefined)

    /// `Record<string, never>`, openapi-typescript's empty object.
    static let emptyRecord = TSType.reference("Record", [.string, .never])

    /// `Record<string, unknown>`: an object schema with nothing but its type, which any object
    /// satisfies (the Swift side is `[String: JSONValue]`).
    static let freeFormRecord = TSType.reference("Record", [.string, .unknown])

    var isUnknown: Bool {
        if case .keyword(.unknown) = self { return true }
        return false
    }

    /// openapi-typescript's `tsUnion`: nothing is `never`, one member stands alone.
    static func unionOf(_ members: [TSType]) -> TSType {
        if members.isEmpty { return .never }
        if members.count == 1 { return members[0] }
        return .union(deduplicated(members))
    }

    /// openapi-typescript's `tsIntersection`.
    static func intersectionOf(_ members: [TSType]) -> TSType {
        if members.isEmpty { return .never }
        if members.count == 1 { return members[0] }
        return .intersection(deduplicated(members))
    }

    /// openapi-typescript's `tsNullable`: always a union, never deduplicated.
    static func nullable(_ type: TSType) -> TSType {
        .union([type, .null])
    }

    /// True for what `tsIsPrimitive` accepts: the primitive keywords and `null` (not `unknown`,
    /// not literal strings or numbers, which openapi-typescript builds as other node kinds).
    var isPrimitive: Bool {
        switch self {
        case .keyword(let keyword): keyword != .unknown
        case .null: true
        default: false
        }
    }

    /// `tsDedupe`: a primitive keyword (or `null`) after the first of its kind is dropped;
    /// literals and composite types are always kept.
    private static func deduplicated(_ members: [TSType]) -> [TSType] {
        var seen: Set<String> = []
        var result: [TSType] = []
        result.reserveCapacity(members.count)
        for member in members {
            let kind: String?
            switch member {
            case .keyword(let keyword): kind = keyword.rawValue
            case .null: kind = "null"
            default: kind = nil
            }
            if let kind {
                if seen.contains(kind) { continue }
                if member.isPrimitive { seen.insert(kind) }
            }
            result.append(member)
        }
        return result
    }
}

/// A member of an object type: a property or an index signature, with its doc comment.
struct TSMember: Sendable {
    /// The full comment (`/** … */`), lines separated by `\n`; the printer indents them.
    var comment: String?
    var isReadonly = false
    /// The printed key: `name`, `"a-b"`, `200`, or an index signature such as `[key: string]`.
    var key: String
    var isOptional = false
    var type: TSType

    init(comment: String? = nil, readonly: Bool = false, key: String, optional: Bool = false, type: TSType) {
        self.comment = comment
        self.isReadonly = readonly
        self.key = key
        self.isOptional = optional
        self.type = type
    }

    /// A property whose key is spelled by openapi-typescript's rules.
    static func property(
        _ name: String, optional: Bool = false, readonly: Bool = false, comment: String? = nil, type: TSType
    ) -> TSMember {
        TSMember(comment: comment, readonly: readonly, key: TypeScriptNames.propertyKey(name), optional: optional, type: type)
    }

    /// `[name: string]: type`.
    static func indexSignature(_ parameter: String, type: TSType) -> TSMember {
        TSMember(key: "[\(parameter): string]", type: type)
    }
}
