/// The calls generated `init?(json:at:errors:)` initialisers make, one per property.
///
/// Each reads one member of an object, converts it (in lax mode when the object is a form, whose
/// values are text; by JSON type otherwise), checks the schema's constraints
/// and records any failure with the member's full `loc`. They return nil when the member is
/// absent, null (and nullable) or invalid; a model knows it is valid when no error was recorded.
extension ValidationErrors {
    /// The object a model is read from; anything else records `model_attributes_type` (FastAPI
    /// reports a non-object body, including one sent with another content type, this way).
    public mutating func object(_ value: JSONValue, at location: FieldLocation) -> JSONObject? {
        if case .object(let object) = value { return object }
        self.record(.modelAttributesType, at: location, input: value)
        return nil
    }

    /// Reads member `key` of `object` as `T`.
    ///
    /// - Parameters:
    ///   - required: an absent member records `missing` (with the whole object as input, as
    ///     pydantic does).
    ///   - nullable: `null` is accepted and read as nil; otherwise `null` is a type error.
    @inlinable
    public mutating func field<T: SchemaValue>(
        _ type: T.Type,
        _ key: String,
        in object: JSONObject,
        at path: ValidationPath,
        required: Bool = false,
        nullable: Bool = false
    ) -> T? {
        guard let value = self.member(key, of: object, list: T.isList, at: path, required: required) else { return nil }
        if nullable, case .null = value { return nil }
        return T.decode(value, at: FieldLocation(path, .key(key), isText: object.isForm), errors: &self)
    }

    /// Reads member `key` of `object` as `T` and checks `rules`.
    @inlinable
    public mutating func field<T: SchemaValue, Rules: Constraint<T>>(
        _ type: T.Type,
        _ key: String,
        in object: JSONObject,
        at path: ValidationPath,
        required: Bool = false,
        nullable: Bool = false,
        rules: Rules
    ) -> T? {
        guard let value = self.member(key, of: object, list: T.isList, at: path, required: required) else { return nil }
        if nullable, case .null = value { return nil }
        let location = FieldLocation(path, .key(key), isText: object.isForm)
        guard let decoded = T.decode(value, at: location, errors: &self) else { return nil }
        let before = self.count
        rules.check(decoded, input: value, at: location, errors: &self)
        return self.count == before ? decoded : nil
    }

    /// Records `extra_forbidden` for every member not in `allowed` (`additionalProperties: false`).
    public mutating func forbidExtraFields(_ object: JSONObject, allowed: [String], at path: ValidationPath) {
        for member in object.members where !allowed.contains(member.key) {
            self.record(.extraForbidden, at: path.appending(.key(member.key)), input: member.value)
        }
    }

    /// Records each of `keys` that `object` holds: properties whose schema is `false`, which no
    /// valid object has.
    public mutating func forbidFields(_ object: JSONObject, _ keys: [String], at path: ValidationPath) {
        for key in keys {
            if let value = object[key] { self.record(.extraForbidden, at: path.appending(.key(key)), input: value) }
        }
    }

    @usableFromInline
    mutating func member(_ key: String, of object: JSONObject, list: Bool, at path: ValidationPath, required: Bool) -> JSONValue? {
        if object.isForm, list {
            // Forms carry a list as a repeated key (`tag=a&tag=b`); one value is a one-item list.
            let values = object.values(forKey: key)
            if !values.isEmpty { return .array(values) }
        } else if let value = object[key] {
            return value
        }
        if required {
            self.record(.missing, at: path.appending(.key(key)), input: .object(object))
        }
        return nil
    }
}
