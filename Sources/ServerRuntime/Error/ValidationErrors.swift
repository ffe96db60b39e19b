/// Every validation failure of one request, collected and thrown once.
///
/// Generated routes decode every parameter and the body into one collector, so a request with
/// three bad values gets three entries, as FastAPI reports them. Thrown, it becomes a 422 with
/// the body `{"detail": [...]}`; it is also the `HTTPValidationError` schema's Swift type, so an
/// operation's `Output` can carry it.
public struct ValidationErrors: Error, Sendable, Hashable {
    public var errors: [ValidationError]
    /// Decoded from a body without `detail` (FastAPI's schema does not require it): encoding
    /// leaves it out again while there are no errors, so the value survives a round trip.
    /// Not part of equality: both spell "no errors".
    var omitsDetail = false

    public static func == (lhs: ValidationErrors, rhs: ValidationErrors) -> Bool {
        lhs.errors == rhs.errors
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.errors)
    }

    @inlinable
    public init(_ errors: [ValidationError] = []) {
        self.errors = errors
    }

    @inlinable public var isEmpty: Bool { self.errors.isEmpty }
    @inlinable public var count: Int { self.errors.count }

    @inlinable
    public mutating func append(_ error: ValidationError) {
        self.errors.append(error)
    }

    /// Records `issue` at `location` with the offending `input`.
    public mutating func record(_ issue: ValidationIssue, at location: FieldLocation, input: JSONValue) {
        self.errors.append(ValidationError(issue, at: location.path, input: input))
    }

    /// Records `issue` at `path` with the offending `input`.
    public mutating func record(_ issue: ValidationIssue, at path: ValidationPath, input: JSONValue) {
        self.errors.append(ValidationError(issue, at: path, input: input))
    }

    /// The 422 body.
    public var jsonValue: JSONValue {
        .object(["detail": .array(self.errors.map(\.jsonValue))])
    }

    /// The 422 body as UTF-8 bytes.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 96 * max(1, self.errors.count))
        writer.writeRaw("{\"detail\":[")
        for (offset, error) in self.errors.enumerated() {
            if offset > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.write(error.jsonValue)
        }
        writer.writeRaw("]}")
        return writer.bytes
    }
}

extension ValidationErrors: Codable {
    private enum CodingKeys: String, CodingKey {
        case detail
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let detail = try container.decodeIfPresent([ValidationError].self, forKey: .detail)
        self.errors = detail ?? []
        self.omitsDetail = detail == nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if self.omitsDetail && self.errors.isEmpty { return }
        try container.encode(self.errors, forKey: .detail)
    }
}

extension ValidationErrors: CustomStringConvertible {
    public var description: String {
        String(decoding: self.jsonBytes(), as: UTF8.self)
    }
}

/// The spec's `HTTPValidationError` schema (FastAPI's 422 body) maps onto the runtime's collector.
public typealias HTTPValidationError = ValidationErrors
