#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A type that writes its own JSON straight into a `JSONWriter`: the generated models whose
/// every property has a fixed wire form (specgen writes `writeJSON` for them).
///
/// The bytes are exactly what `JSONValueEncoder` and then `JSONWriter` make of the same value
/// (the conformance harness compares the two on every instance it reads), without the
/// `Encoder` protocol's containers and the `JSONValue` tree in between: an item's response body
/// took 27,500 instructions that way (callgrind, uncached item read), most of it boxes, witness
/// calls and metadata lookups.
public protocol JSONBodyWritable: Encodable {
    func writeJSON(to writer: inout JSONWriter)
}

// The scalars a response may be on its own (`true` from a health check), in the encoder's form.

extension Bool: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(bool: self) }
}

extension String: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(string: self) }
}

extension Int: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(integer: self) }
}

extension Double: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(double: self) }
}

extension UUID: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(uuid: self) }
}

extension Date: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(date: self) }
}

extension JSONValue: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.write(self) }
}

extension Optional: JSONBodyWritable where Wrapped: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        if let value = self { value.writeJSON(to: &writer) } else { writer.writeNull() }
    }
}

extension Dictionary: JSONBodyWritable where Key == String, Value: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.writeObject(self) { writer, value in value.writeJSON(to: &writer) }
    }
}

extension Array: JSONBodyWritable where Element: JSONBodyWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.writeArray(self) { writer, element in element.writeJSON(to: &writer) }
    }
}

extension JSONWriter {
    /// The JSON of `value` alone, as a response body or an entity tag's input.
    public static func bytes(of value: some JSONBodyWritable, capacity: Int = 256) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        value.writeJSON(to: &writer)
        return writer.bytes
    }

    /// A member's key: `escapedKey` is its JSON text with the quotes and the colon
    /// (`"owner_id":`), a comma first unless it is the object's first member.
    @inlinable
    public mutating func writeKey(_ escapedKey: StaticString, first: inout Bool) {
        if !first { self.bytes.append(UInt8(ascii: ",")) }
        first = false
        self.writeRaw(escapedKey)
    }

    @inlinable
    public mutating func write(bool: Bool) {
        self.writeRaw(bool ? "true" : "false")
    }

    @inlinable
    public mutating func writeNull() {
        self.writeRaw("null")
    }

    /// Lowercase and hyphenated, as `JSONValueEncoder` writes a `UUID`.
    public mutating func write(uuid: UUID) {
        let start = self.bytes.count
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes.append(contentsOf: repeatElement(0, count: 36))
        UUIDText.write(uuid, into: &self.bytes, at: start + 1)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// RFC 3339 in UTC, as `JSONValueEncoder` writes a `Date`.
    public mutating func write(date: Date) {
        self.bytes.append(UInt8(ascii: "\""))
        RFC3339.append(date, to: &self.bytes)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// `[` the elements, each written by `element`, `]`.
    @inlinable
    public mutating func writeArray<S: Sequence>(_ elements: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        self.bytes.append(UInt8(ascii: "["))
        var first = true
        for value in elements {
            if !first { self.bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// A JSON object of the dictionary's entries, in its own order (as `JSONValueEncoder` keeps
    /// it), each value written by `value`.
    @inlinable
    public mutating func writeObject<Value>(_ entries: [String: Value], _ value: (inout JSONWriter, Value) -> Void) {
        self.bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, member) in entries {
            if !first { self.bytes.append(UInt8(ascii: ",")) }
            first = false
            self.write(string: key)
            self.bytes.append(UInt8(ascii: ":"))
            value(&self, member)
        }
        self.bytes.append(UInt8(ascii: "}"))
    }
}
