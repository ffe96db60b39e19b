/// A field of a partial update (a `PATCH` body, or a schema with `x-patch: true`) that is
/// optional and nullable, so the wire has three states a Swift optional cannot tell apart:
/// the key absent (leave the stored value as it is), `null` (clear it), or a value (set it).
public enum Patch<Value> {
    case absent
    case null
    case value(Value)

    /// The value when one was sent; nil for `absent` and `null` alike.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// Whether the key was in the body (with a value or `null`).
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// The new stored value of a nullable column: nil when nothing changes, `.some(nil)` to clear.
    public var change: Value?? {
        switch self {
        case .absent: nil
        case .null: .some(nil)
        case .value(let value): .some(value)
        }
    }
}

extension Patch: Sendable where Value: Sendable {}
extension Patch: Equatable where Value: Equatable {}
extension Patch: Hashable where Value: Hashable {}

extension KeyedDecodingContainer {
    /// Reads `key` keeping apart an absent key and `null`.
    public func decodePatch<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(type, forKey: key))
    }
}

extension KeyedEncodingContainer {
    /// Writes nothing for `absent`, `null` for `null`.
    public mutating func encodePatch<Value: Encodable>(_ patch: Patch<Value>, forKey key: Key) throws {
        switch patch {
        case .absent: break
        case .null: try encodeNil(forKey: key)
        case .value(let value): try encode(value, forKey: key)
        }
    }
}

extension ValidationErrors {
    /// Reads member `key` of `object` as a patch field: absent, `null`, or a valid `T`. An
    /// invalid value records its errors and reads as `absent` (the caller checks the count).
    @inlinable
    public mutating func patchField<T: SchemaValue>(
        _ type: T.Type, _ key: String, in object: JSONObject, at path: ValidationPath
    ) -> Patch<T> {
        guard let value = object[key] else { return .absent }
        if case .null = value { return .null }
        return T.decode(value, at: FieldLocation(path, .key(key), isText: object.isForm), errors: &self).map { .value($0) }
            ?? .absent
    }

    /// The same, checking `rules` on a value.
    @inlinable
    public mutating func patchField<T: SchemaValue, Rules: Constraint<T>>(
        _ type: T.Type, _ key: String, in object: JSONObject, at path: ValidationPath, rules: Rules
    ) -> Patch<T> {
        guard let value = object[key] else { return .absent }
        if case .null = value { return .null }
        let location = FieldLocation(path, .key(key), isText: object.isForm)
        guard let decoded = T.decode(value, at: location, errors: &self) else { return .absent }
        let before = self.count
        rules.check(decoded, input: value, at: location, errors: &self)
        return self.count == before ? .value(decoded) : .absent
    }
}
