import ServerRuntime

/// JSON exactly as the API writes it (pydantic's conventions: lowercase UUIDs, RFC 3339 dates),
/// for what leaves the server outside a response: WebSocket frames and the Redis messages they
/// come from, so every instance reads what another wrote.
enum WireJSON {
    /// A generated model's own writer (`JSONBodyWritable`): a notification took 30,000
    /// instructions through `Encoder` on every item created (callgrind).
    static func encode(_ value: some JSONBodyWritable) -> [UInt8] {
        JSONWriter.bytes(of: value)
    }

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.write(try JSONValueEncoder().encode(value))
        return writer.bytes
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONValueDecoder().decode(type, from: try JSONParser.parse(bytes))
    }
}
