import Foundation

/// A value stored as `jsonb`: binds by JSON-encoding `value`, decodes by
/// JSON-decoding the column.
///
/// Decoding a row into a `Decodable` model does not need the wrapper: a
/// property whose type the client does not know natively is read from a
/// `json`/`jsonb` column with `JSONDecoder`. Dates inside the document are
/// RFC 3339 strings with fractional seconds, the API's own format.
public struct PostgresJSON<Value>: Sendable where Value: Sendable {
    public var value: Value

    public init(_ value: Value) {
        self.value = value
    }
}

extension PostgresJSON: Equatable where Value: Equatable {}
extension PostgresJSON: Hashable where Value: Hashable {}

extension PostgresJSON: PostgresBindable where Value: Encodable {
    public static var postgresType: PostgresDataType { .jsonb }
    public static var postgresArrayType: PostgresDataType { .jsonbArray }

    public func postgresText() throws -> String? {
        do {
            let data = try PostgresJSONCoding.encoder().encode(value)
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw PostgresError.encoding("cannot encode \(Value.self) as JSON: \(error)")
        }
    }
}

/// Inside a JSON document (a model decoded from `jsonb`) the wrapper is
/// transparent: it decodes its value in place.
extension PostgresJSON: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        self.init(try Value(from: decoder))
    }
}

extension PostgresJSON: PostgresDecodable where Value: Decodable {
    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) throws -> Self {
        Self(try PostgresJSONCoding.decoder().decode(Value.self, from: Data(text)))
    }
}

/// The JSON coders used for `jsonb` columns.
enum PostgresJSONCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimestampText.format(date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = TimestampText.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 date-time, got \"\(text)\"")
            }
            return date
        }
        return decoder
    }
}
