import OpenAPI

/// A type the emitters declare: every component schema, and every inline object, enum or
/// union hoisted out of its use site under a stable name.
public struct NamedType: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case object(ObjectShape)
        case stringEnum(values: [String])
        case integerEnum(values: [Int])
        case union(UnionShape)
        /// A component schema that is not an object, enum or union: an array, a primitive, any.
        case alias(TypeRef, Constraints)
    }

    /// An identifier, unique among named types, usable as is in Swift and TypeScript
    /// (emitters still escape keywords).
    public var name: String
    public var kind: Kind
    public var description: String?
    /// The schema's `title`.
    public var title: String?
    /// An enum's documentation per value (by the value as text: `active`, `42`), from
    /// `x-enum-descriptions`, else the display names of `x-enumNames` or `x-enum-varnames`.
    public var valueDescriptions: [String: String] = [:]
    public var deprecated = false
    /// The component it came from, if any (`#/components/schemas/Item`), for docs and lookups.
    public var componentKey: String?
    public var location: SourceLocation
    /// Its identity: the JSON pointer of its schema (`#/components/schemas/Item`,
    /// `#/paths/~1items/post/requestBody/content/application~1json/schema`), with the file
    /// before `#` when it is not the entry document. A part adds the keyword it stands for.
    public var pointer: String?
    /// Server-side only (`x-db-table` or `x-internal: true`, or declared inside such a schema):
    /// left out of the published document and the TypeScript types.
    public var isInternal = false
    /// A string enum with `x-enum-open: true`: unknown values are kept, not refused.
    public var isOpenEnum = false
    /// A part of another type's schema with no schema of its own (the union of an object's
    /// `oneOf`, the object member of a type array); it shares that schema's location.
    public var isPart = false

    public static func == (lhs: NamedType, rhs: NamedType) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
    }
}

extension NamedType.Kind {
    public var isStringEnum: Bool {
        if case .stringEnum = self { return true }
        return false
    }
}

public struct ObjectShape: Hashable, Sendable {
    public var properties: [Property] = []
    /// The type of properties beyond the declared ones; `nil` when the schema does not allow
    /// or does not mention them (see `closed`).
    public var additionalProperties: TypeRef?
    /// `additionalProperties: false`: unknown keys are an error on input.
    public var closed = false
    /// `additionalProperties: true` said outright (`additionalProperties` stays `nil`): other keys
    /// are part of the type, which TypeScript spells as an index signature.
    public var declaresOpen = false
    public var minProperties: Int?
    public var maxProperties: Int?
    /// Keys whose schema is `false`: a valid object never has them. They are not among
    /// `properties` (no type holds them); validators refuse them and TypeScript types them `never`.
    public var forbiddenProperties: [String] = []
    /// The schema's own `oneOf`/`anyOf` beside its properties: the same JSON object must also be
    /// one of these (a union, hoisted), so the properties and the variant are read from it alike.
    public var compositions: [Composition] = []

    public struct Composition: Hashable, Sendable {
        /// A lowerCamelCase identifier for the stored union, unique among the properties.
        public var name: String
        /// A named union type.
        public var type: TypeRef
    }
}

public struct Property: Hashable, Sendable {
    /// The key on the wire.
    public var jsonName: String
    /// A lowerCamelCase identifier, unique within the type.
    public var name: String
    public var type: TypeRef
    public var required: Bool
    public var constraints: Constraints
    public var description: String?
    /// The property's own `title` (a referenced schema's title is that type's).
    public var title: String?
    public var defaultValue: JSONValue?
    /// The schema's first example (3.0's `example` or 3.1's `examples`), for doc comments.
    public var example: JSONValue?
    public var readOnly = false
    public var writeOnly = false
    public var deprecated = false
    /// The `x-sunset` date (`YYYY-MM-DD`): after it a deprecated property may be removed.
    public var sunset: String?
    /// Optional and nullable in a partial update (a `PATCH` body or `x-patch: true`): absent,
    /// `null` and a value are three different requests.
    public var isPatch = false
    /// Optional with a `default` outside a partial update: the default is applied while
    /// decoding, so the value is always there.
    public var appliesDefault = false
    /// Where its schema stands, for diagnostics; `nil` for a property no schema declares.
    public var location: SourceLocation?
}

public struct UnionShape: Hashable, Sendable {
    public struct Variant: Hashable, Sendable {
        /// A lowerCamelCase case name, unique within the union.
        public var name: String
        public var type: TypeRef
        /// Discriminator values that select this variant.
        public var discriminatorValues: [String]
        /// What the variant's schema says beyond its type (a type array's `maxLength` applies to
        /// its string variant only).
        public var constraints = Constraints()
    }

    public var variants: [Variant]
    public var discriminator: String?
    /// `anyOf`: several variants may match; the first that decodes wins.
    public var isAnyOf: Bool
}
